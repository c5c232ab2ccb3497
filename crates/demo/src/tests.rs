use super::*;
use expect_test::expect;
use std::collections::{BTreeMap, BTreeSet};

fn spec() -> RegionSpec {
    RegionSpec::default()
}

#[test]
fn same_spec_gives_the_same_region_and_applications() {
    let s = spec();
    assert_eq!(region(&s), region(&s));
    let r = region(&s);
    for n in [0, 1, 17, 99_999] {
        assert_eq!(application(&s, &r, n), application(&s, &r, n));
    }
    let other = RegionSpec { seed: 2, ..spec() };
    assert_ne!(
        application(&s, &r, 0).child.iin,
        application(&other, &region(&other), 0).child.iin
    );
}

#[test]
fn snapshot_of_the_first_three_applications() {
    let s = spec();
    let r = region(&s);
    let mut out = String::new();
    for app in applications(&s, &r, 3) {
        out.push_str(&format!(
            "{} {} {} child {} {} born {} | parent {} {} | {} {} {} | {} v{} | {} | {}\n",
            app.id,
            app.number,
            app.submitted_at,
            app.child.iin,
            app.child.name.display(),
            app.child.iin.birth_date(),
            app.applicant.iin,
            app.applicant.name.display(),
            app.school,
            app.language.as_str(),
            app.child.registered_address.full,
            app.status.as_str(),
            app.version,
            app.contacts.phone,
            app.documents
                .iter()
                .map(|d| format!("{}:{}", d.kind.as_str(), d.size))
                .collect::<Vec<_>>()
                .join(","),
        ));
    }
    expect![[r#"
        app-1-0 2026-0000001 2026-04-27 2:15:53.0 +05:00:00 child 200324642994 Новикова Дарья Дмитриевна born 2020-03-24 | parent 840404400651 Новикова Екатерина Михайловна | sch-007 ru г. Кокшетау, улица Богенбай батыра, д. 1 | withdrawn v2 | +7 700 356 27 43 | photo:920,medical_certificate:678,birth_certificate:670
        app-1-1 2026-0000002 2026-05-25 19:58:21.0 +05:00:00 child 201217529927 Есенов Ерлан Айбекұлы born 2020-12-17 | parent 820516346976 Есенов Айбек Мейірханұлы | sch-012 kk Шортанды к., Бауыржан Момышұлы көшесі, 19-үй | under_review v2 | +7 708 268 93 55 | photo:920,medical_certificate:678,birth_certificate:670
        app-1-2 2026-0000003 2026-04-11 19:40:50.0 +05:00:00 child 200911516955 Ісқақов Данияр Айбекұлы born 2020-09-11 | parent 881222385586 Ісқақов Айбек | sch-010 kk Щучинск қ., Бөгенбай батыр көшесі, 17-үй | under_review v2 | +7 776 923 04 52 | photo:920,medical_certificate:678,birth_certificate:670
    "#]].assert_eq(&out);
}

#[test]
fn all_iins_are_valid_and_children_are_six_or_seven() {
    let s = spec();
    let r = region(&s);
    for app in applications(&s, &r, 2_000) {
        for iin in [app.child.iin, app.applicant.iin] {
            assert_eq!(Iin::parse(&iin.to_string()), Ok(iin));
        }
        let age = s.admission_year - app.child.iin.birth_date().year();
        assert!(age == 6 || age == 7, "{} is {age}", app.id);
        let parent_year = app.applicant.iin.birth_date().year();
        assert!((1980..=2000).contains(&parent_year));
        assert!(domain::rules::check_age(app.child.iin.birth_date(), s.admission_year).is_ok());
        assert_eq!(
            child_iin(&s, application_index(&s, &app.id.0).unwrap()),
            app.child.iin
        );
    }
    for st in &r.staff {
        assert_eq!(Iin::parse(&st.iin.to_string()), Ok(st.iin));
        assert_eq!(st.password, format!("demo-{}", &st.iin.to_string()[8..]));
    }
    for p in walk_in_children(&s, &r, 200) {
        assert_eq!(Iin::parse(&p.iin.to_string()), Ok(p.iin));
        assert_eq!(
            s.admission_year - p.iin.birth_date().year(),
            if p.iin.birth_date().year() == s.admission_year - 7 {
                7
            } else {
                6
            }
        );
    }
}

#[test]
fn every_status_appears_and_the_mix_is_roughly_as_asked() {
    let s = spec();
    let r = region(&s);
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    let mut kk = 0;
    for app in applications(&s, &r, 200) {
        *by_status.entry(app.status.as_str()).or_default() += 1;
        kk += usize::from(app.language == InstructionLanguage::Kk);
        assert_eq!(app.status == Status::Rejected, app.reject_reason.is_some());
        assert!((1..=3).contains(&app.version));
        assert!(app.consents.check().is_ok());
        assert_eq!(app.documents.len(), 3);
        let opens = time::macros::datetime!(2026-04-01 00:00 +05:00);
        let closes = time::macros::datetime!(2026-06-01 00:00 +05:00);
        assert!(opens <= app.submitted_at && app.submitted_at < closes);
    }
    for st in Status::ALL {
        assert!(
            by_status.get(st.as_str()).copied().unwrap_or(0) > 0,
            "{st:?} missing: {by_status:?}"
        );
    }
    assert!((100..=160).contains(&kk), "kk {kk} of 200");
}

#[test]
fn each_application_has_its_own_child() {
    // R-29: generated data never holds two pending applications of one child.
    let s = spec();
    let r = region(&s);
    let mut seen = BTreeSet::new();
    for app in applications(&s, &r, 20_000) {
        assert!(seen.insert(app.child.iin), "child {} twice", app.child.iin);
    }
    for p in walk_in_children(&s, &r, 2_000) {
        assert!(
            seen.insert(p.iin),
            "walk-in child {} also has an application",
            p.iin
        );
    }
}

#[test]
fn addresses_in_no_micro_district_exist_and_walk_ins_live_there_too() {
    let s = spec();
    let r = region(&s);
    let unbound = r
        .addresses
        .iter()
        .filter(|a| a.micro_district.is_none())
        .count();
    assert!(
        unbound > 0 && unbound * 5 < r.addresses.len(),
        "{unbound} of {}",
        r.addresses.len()
    );
    let walk_ins = walk_in_children(&s, &r, 40);
    assert!(
        walk_ins
            .iter()
            .any(|p| r.address(&p.address_id).unwrap().micro_district.is_none())
    );
    let ids: BTreeSet<&str> = r.addresses.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids.len(), r.addresses.len());
}

#[test]
fn region_shape() {
    let s = spec();
    let r = region(&s);
    assert_eq!(r.schools.len(), 12);
    assert_eq!(r.staff.len(), 24);
    assert_eq!(r.micro_districts.len(), 36);
    for school in &r.schools {
        assert_eq!(school.places.len(), 2);
        assert!(school.places.iter().all(|p| p.capacity > 0 && p.taken == 0));
        assert!(r.districts.iter().any(|d| d.id == school.district_id));
    }
    let iins: BTreeSet<Iin> = r.staff.iter().map(|s| s.iin).collect();
    assert_eq!(iins.len(), r.staff.len());
}

#[test]
fn application_school_is_the_school_of_its_micro_district() {
    let s = spec();
    let r = region(&s);
    for app in applications(&s, &r, 500) {
        match &app.child.registered_address.micro_district {
            Some(md) => assert_eq!(r.school_of(md).unwrap().id, app.school),
            None => assert!(r.schools.iter().any(|sc| sc.id == app.school)),
        }
    }
}

#[test]
fn names_use_both_pools_and_kazakh_letters() {
    let s = spec();
    let r = region(&s);
    let all: String = applications(&s, &r, 300)
        .map(|a| format!("{} {}", a.child.name.display(), a.applicant.name.display()))
        .collect();
    for ch in ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'і'] {
        assert!(all.contains(ch), "no {ch}");
    }
    assert!(all.contains("Иванов") || all.contains("Петров") || all.contains("Смирнов"));
}

#[test]
fn document_bytes_match_their_metadata() {
    let s = spec();
    let r = region(&s);
    let app = application(&s, &r, 5);
    for meta in &app.documents {
        let (kind, bytes) = document_bytes(&s, &meta.id).unwrap();
        assert_eq!(kind, meta.kind);
        assert_eq!(bytes.len() as u64, meta.size);
        assert_eq!(hex::encode(Sha256::digest(&bytes)), meta.sha256);
        domain::rules::check_document_size(meta.size).unwrap();
    }
    assert!(document_bytes(&s, "app-1-5-other").is_none());
    assert!(document_bytes(&s, "app-2-5-photo").is_none());
}

#[test]
fn a_hundred_thousand_stream() {
    // Streams without holding them; no time is asserted (benchmarks come later).
    let s = spec();
    let r = region(&s);
    let count = applications(&s, &r, 100_000)
        .filter(|a| a.status == Status::Accepted)
        .count();
    assert!(count > 15_000 && count < 25_000, "{count}");
}
