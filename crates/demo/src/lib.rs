//! A deterministic, seeded synthetic region of Akmola oblast for the demo, the tests,
//! portal-sim and the benchmarks: districts and towns, schools with places per
//! class and language, micro-districts and the address register (R-15, some
//! addresses in no micro-district), staff accounts with known demo passwords, the
//! population register and parents' applications in realistic states.
//!
//! Pure: no I/O, no clock. Everything is a function of [`RegionSpec`] (and, for one
//! application, of its index `n`), so the same spec always gives the same data, and
//! the n-th application can be made without making the others (1 M stream cheaply).

mod documents;
mod names;

use domain::rules::Places;
use domain::{
    Address, Applicant, Application, ApplicationId, ApplicationNumber, Child, Consents, Contacts,
    DocumentKind, DocumentMeta, Email, FullName, Grade, Iin, InstructionLanguage, Lang,
    MicroDistrictId, PersonName, Phone, RejectReason, RejectReasonCode, SchoolId, Sex, Status,
    TemporaryRegistration,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};
use time::{Date, Duration, Month};

pub use names::transliterate;

/// What region to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionSpec {
    pub seed: u64,
    pub admission_year: i32,
    pub schools: usize,
    pub staff_per_school: usize,
}

impl Default for RegionSpec {
    fn default() -> Self {
        RegionSpec {
            seed: 1,
            admission_year: 2026,
            schools: 12,
            staff_per_school: 2,
        }
    }
}

/// A district or a city of regional significance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct District {
    pub id: String,
    pub name_kk: String,
    pub name_ru: String,
    /// The town where its schools and addresses are.
    pub town_kk: String,
    pub town_ru: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct School {
    pub id: SchoolId,
    pub district_id: String,
    pub name_kk: String,
    pub name_ru: String,
    pub address_kk: String,
    pub address_ru: String,
    /// First class, one entry per language of instruction (kk, ru); `taken` is 0 here:
    /// whoever loads applications counts the accepted ones.
    pub places: Vec<Places>,
}

/// The catchment area of a school (микротелім / микроучасток).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MicroDistrict {
    pub id: MicroDistrictId,
    pub school: SchoolId,
    pub name_kk: String,
    pub name_ru: String,
}

/// One entry of the address register: street + house with its full names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterAddress {
    pub id: String,
    pub district_id: String,
    /// Street name in Kazakh.
    pub street: String,
    pub street_ru: String,
    pub house: String,
    pub full_kk: String,
    pub full_ru: String,
    /// `None` for about 5 % of addresses: the R-15 case.
    pub micro_district: Option<MicroDistrictId>,
}

/// A school staff member (clerk) who can sign in with a known demo password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub iin: Iin,
    pub name: FullName,
    pub school: SchoolId,
    /// `demo-<last 4 digits of the IIN>`.
    pub password: String,
    pub email: Email,
}

/// A child in the population register with the parent who applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterPerson {
    pub iin: Iin,
    pub name: FullName,
    pub birth_certificate: String,
    pub address_id: String,
    pub parent_iin: Iin,
    pub parent_name: FullName,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub region_name_kk: String,
    pub region_name_ru: String,
    pub districts: Vec<District>,
    pub schools: Vec<School>,
    pub micro_districts: Vec<MicroDistrict>,
    pub addresses: Vec<RegisterAddress>,
    pub staff: Vec<Staff>,
}

impl Region {
    /// The school whose micro-district this is.
    pub fn school_of(&self, micro_district: &MicroDistrictId) -> Option<&School> {
        let md = self
            .micro_districts
            .iter()
            .find(|m| &m.id == micro_district)?;
        self.schools.iter().find(|s| s.id == md.school)
    }

    pub fn address(&self, id: &str) -> Option<&RegisterAddress> {
        self.addresses.iter().find(|a| a.id == id)
    }
}

const DISTRICTS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "d-kokshetau",
        "Көкшетау қаласы",
        "город Кокшетау",
        "Көкшетау қ.",
        "г. Кокшетау",
    ),
    (
        "d-stepnogorsk",
        "Степногорск қаласы",
        "город Степногорск",
        "Степногорск қ.",
        "г. Степногорск",
    ),
    (
        "d-akkol",
        "Ақкөл ауданы",
        "Аккольский район",
        "Ақкөл қ.",
        "г. Акколь",
    ),
    (
        "d-burabay",
        "Бурабай ауданы",
        "Бурабайский район",
        "Щучинск қ.",
        "г. Щучинск",
    ),
    (
        "d-tselinograd",
        "Целиноград ауданы",
        "Целиноградский район",
        "Қосшы қ.",
        "г. Косшы",
    ),
    (
        "d-shortandy",
        "Шортанды ауданы",
        "Шортандинский район",
        "Шортанды к.",
        "пос. Шортанды",
    ),
];

const STREETS: &[(&str, &str)] = &[
    ("Абай көшесі", "улица Абая"),
    ("Шоқан Уәлиханов көшесі", "улица Шокана Уалиханова"),
    ("Мұхтар Әуезов көшесі", "улица Мухтара Ауэзова"),
    ("Тәуелсіздік даңғылы", "проспект Независимости"),
    ("Бейбітшілік көшесі", "улица Мира"),
    ("Қаныш Сәтбаев көшесі", "улица Каныша Сатпаева"),
    ("Қабанбай батыр көшесі", "улица Кабанбай батыра"),
    ("Бауыржан Момышұлы көшесі", "улица Бауыржана Момышулы"),
    ("Пушкин көшесі", "улица Пушкина"),
    ("Ыбырай Алтынсарин көшесі", "улица Ибрая Алтынсарина"),
    ("Мағжан Жұмабаев көшесі", "улица Магжана Жумабаева"),
    ("Жамбыл көшесі", "улица Жамбыла"),
    ("Достық көшесі", "улица Достык"),
    ("Бөгенбай батыр көшесі", "улица Богенбай батыра"),
];

const MICRO_DISTRICTS_PER_SCHOOL: usize = 3;
/// Share of addresses bound to no micro-district.
const UNBOUND_ADDRESS_RATE: f64 = 0.05;

// Independent random streams, so adding draws to one never shifts another.
const STREAM_REGION: u64 = 1;
const STREAM_APPLICATION: u64 = 2;
const STREAM_WALK_IN: u64 = 3;
const STREAM_PERMUTATION: u64 = 4;

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn rng_for(seed: u64, stream: u64, n: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(splitmix(splitmix(seed ^ stream.rotate_left(48)) ^ n))
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn name(s: &str) -> PersonName {
    PersonName::parse(s).expect("name pools hold valid names")
}

/// Generates the region. Cheap (about a thousand addresses); call once and share.
pub fn region(spec: &RegionSpec) -> Region {
    let mut rng = rng_for(spec.seed, STREAM_REGION, 0);
    let districts: Vec<District> = DISTRICTS
        .iter()
        .map(|(id, kk, ru, town_kk, town_ru)| District {
            id: (*id).to_string(),
            name_kk: (*kk).to_string(),
            name_ru: (*ru).to_string(),
            town_kk: (*town_kk).to_string(),
            town_ru: (*town_ru).to_string(),
        })
        .collect();

    let mut schools = Vec::with_capacity(spec.schools);
    let mut micro_districts = Vec::new();
    for k in 0..spec.schools {
        let district = &districts[k % districts.len()];
        let num = k + 1;
        let id = SchoolId(format!("sch-{num:03}"));
        let (street_kk, street_ru) = *pick(&mut rng, STREETS);
        let house = rng.random_range(1..=90);
        let places = InstructionLanguage::ALL
            .into_iter()
            .map(|language| Places {
                school: id.clone(),
                grade: Grade::FIRST,
                language,
                capacity: match language {
                    InstructionLanguage::Kk => 25 * rng.random_range(2..=5),
                    InstructionLanguage::Ru => 25 * rng.random_range(1..=3),
                },
                taken: 0,
            })
            .collect();
        schools.push(School {
            id: id.clone(),
            district_id: district.id.clone(),
            name_kk: format!("№{num} жалпы білім беретін мектеп ({})", district.town_kk),
            name_ru: format!("Общеобразовательная школа №{num} ({})", district.town_ru),
            address_kk: format!("{}, {street_kk}, {house}", district.town_kk),
            address_ru: format!("{}, {street_ru}, {house}", district.town_ru),
            places,
        });
        for j in 1..=MICRO_DISTRICTS_PER_SCHOOL {
            micro_districts.push(MicroDistrict {
                id: MicroDistrictId(format!("md-{num:03}-{j}")),
                school: id.clone(),
                name_kk: format!("№{num} мектептің {j}-микротелімі"),
                name_ru: format!("Микроучасток {j} школы №{num}"),
            });
        }
    }

    let mut addresses = Vec::new();
    for district in &districts {
        let mds: Vec<&MicroDistrict> = micro_districts
            .iter()
            .filter(|m| {
                schools
                    .iter()
                    .any(|s| s.id == m.school && s.district_id == district.id)
            })
            .collect();
        let schools_here = mds.len() / MICRO_DISTRICTS_PER_SCHOOL;
        let houses_per_street = 8 + 4 * schools_here;
        let total = STREETS.len() * houses_per_street;
        for (i, (street_kk, street_ru)) in STREETS
            .iter()
            .flat_map(|s| std::iter::repeat_n(s, houses_per_street))
            .enumerate()
        {
            let house = (i % houses_per_street) * 2 + 1 + usize::from(rng.random_bool(0.3));
            let micro_district = if mds.is_empty() || rng.random_bool(UNBOUND_ADDRESS_RATE) {
                None
            } else {
                Some(mds[i * mds.len() / total].id.clone())
            };
            addresses.push(RegisterAddress {
                id: format!("adr-{:05}", addresses.len() + 1),
                district_id: district.id.clone(),
                street: (*street_kk).to_string(),
                street_ru: (*street_ru).to_string(),
                house: house.to_string(),
                full_kk: format!("{}, {street_kk}, {house}-үй", district.town_kk),
                full_ru: format!("{}, {street_ru}, д. {house}", district.town_ru),
                micro_district,
            });
        }
    }

    let mut staff = Vec::new();
    for (k, school) in schools.iter().enumerate() {
        for j in 0..spec.staff_per_school {
            let sex = if rng.random_bool(0.8) {
                Sex::Female
            } else {
                Sex::Male
            };
            let kazakh = rng.random_bool(0.7);
            let birth = random_date(&mut rng, 1970, 1995);
            // Staff serials 9000-9999 never meet parents' (0-8999).
            let block = 900 + ((k * spec.staff_per_school + j) % 100) as u16;
            let iin = iin_in_block(birth, sex, block, rng.random_range(0..9));
            let person = adult_name(&mut rng, kazakh, sex);
            let email = Email::parse(&format!(
                "{}.{}{}@mektep.kz",
                transliterate(person.given.as_str()),
                transliterate(person.surname.as_str()),
                k + 1
            ))
            .expect("transliterated names make valid e-mails");
            let s = iin.as_string();
            staff.push(Staff {
                iin,
                name: person,
                school: school.id.clone(),
                password: format!("demo-{}", &s[8..]),
                email,
            });
        }
    }

    Region {
        region_name_kk: "Ақмола облысы".to_string(),
        region_name_ru: "Акмолинская область".to_string(),
        districts,
        schools,
        micro_districts,
        addresses,
        staff,
    }
}

fn random_date(rng: &mut ChaCha8Rng, from_year: i32, to_year: i32) -> Date {
    let year = rng.random_range(from_year..=to_year);
    let day = rng.random_range(1..=365);
    Date::from_ordinal_date(year, day).expect("day 1-365 exists every year")
}

/// The `j`-th (0..9) valid IIN among serials `block*10 .. block*10+9`. The last serial
/// digit has weight 11 ≡ 0 in the first check sum, so at most one of the ten fails.
fn iin_in_block(birth: Date, sex: Sex, block: u16, j: u8) -> Iin {
    (0..10u16)
        .filter_map(|d| Iin::from_parts(birth, sex, block * 10 + d))
        .nth(usize::from(j))
        .expect("at most one serial in ten makes no IIN")
}

fn adult_name(rng: &mut ChaCha8Rng, kazakh: bool, sex: Sex) -> FullName {
    let stem = if kazakh {
        *pick(rng, names::KAZAKH_SURNAMES)
    } else {
        *pick(rng, names::RUSSIAN_SURNAMES)
    };
    let given = given_name(rng, kazakh, sex);
    let kazakh_style = rng.random_bool(0.6);
    let patronymic = patronymic(rng, kazakh, sex, kazakh_style);
    FullName {
        surname: name(&names::surname_for(stem, sex)),
        given: name(&given),
        patronymic,
    }
}

fn given_name(rng: &mut ChaCha8Rng, kazakh: bool, sex: Sex) -> String {
    match (kazakh, sex) {
        (true, Sex::Male) => pick(rng, names::KAZAKH_MALE).to_string(),
        (true, Sex::Female) => pick(rng, names::KAZAKH_FEMALE).to_string(),
        (false, Sex::Male) => pick(rng, names::RUSSIAN_MALE).0.to_string(),
        (false, Sex::Female) => pick(rng, names::RUSSIAN_FEMALE).to_string(),
    }
}

/// A patronymic from a random father's name; Kazakh families use «-ұлы/-қызы» in
/// `kazakh_style` or the Russian-style «-ович» form, and some have none.
fn patronymic(
    rng: &mut ChaCha8Rng,
    kazakh: bool,
    sex: Sex,
    kazakh_style: bool,
) -> Option<PersonName> {
    if kazakh {
        let father = *pick(rng, names::KAZAKH_MALE);
        patronymic_of(
            Father::Kazakh(father),
            sex,
            kazakh_style,
            rng.random_bool(0.08),
        )
    } else {
        let father = *pick(rng, names::RUSSIAN_MALE);
        patronymic_of(Father::Russian(father), sex, false, false)
    }
}

enum Father {
    Kazakh(&'static str),
    Russian((&'static str, &'static str, &'static str)),
}

fn patronymic_of(father: Father, sex: Sex, kazakh_style: bool, none: bool) -> Option<PersonName> {
    if none {
        return None;
    }
    let text = match father {
        Father::Kazakh(f) if kazakh_style => names::kazakh_patronymic(f, sex),
        Father::Kazakh(f) => match sex {
            Sex::Male => format!("{f}ович"),
            Sex::Female => format!("{f}овна"),
        },
        Father::Russian((_, m, f)) => match sex {
            Sex::Male => m.to_string(),
            Sex::Female => f.to_string(),
        },
    };
    Some(name(&text))
}

/// Children with applications: 365 birth days × 2 sexes × 500 serial blocks × 9.
const CHILD_SLOTS: u64 = 365 * 2 * 500 * 9;
/// Multiplier of the slot permutation; prime, so coprime with CHILD_SLOTS.
const SLOT_STEP: u64 = 1_000_003;

/// The most applications one spec can make with distinct children.
pub const MAX_APPLICATIONS: u64 = CHILD_SLOTS;

struct ChildSlot {
    day: u16,
    sex: Sex,
    block: u16,
    j: u8,
    older: bool,
}

/// An injective map n → (birth day, sex, serial) so every application has its own
/// child (R-29 never trips on generated data), scrambled so ids do not look sequential.
fn child_slot(spec: &RegionSpec, n: u64, walk_in: bool) -> ChildSlot {
    let idx = if walk_in {
        n % CHILD_SLOTS
    } else {
        let offset = splitmix(spec.seed ^ STREAM_PERMUTATION) % CHILD_SLOTS;
        ((n % CHILD_SLOTS) * SLOT_STEP + offset) % CHILD_SLOTS
    };
    let day = (idx % 365) as u16;
    let rest = idx / 365;
    let sex = if rest % 2 == 0 {
        Sex::Male
    } else {
        Sex::Female
    };
    let rest = rest / 2;
    let block = (rest % 500) as u16 + if walk_in { 500 } else { 0 };
    let j = (rest / 500) as u8;
    // About 3 % start school at 7.
    let older = splitmix(spec.seed ^ n ^ (u64::from(walk_in) << 63)) % 100 < 3;
    ChildSlot {
        day,
        sex,
        block,
        j,
        older,
    }
}

fn child_iin_of(spec: &RegionSpec, slot: &ChildSlot) -> Iin {
    let year = spec.admission_year - if slot.older { 7 } else { 6 };
    let birth = Date::from_ordinal_date(year, slot.day + 1).expect("day 1-365 exists every year");
    iin_in_block(birth, slot.sex, slot.block, slot.j)
}

/// The IIN of the child of application `n`, without making the application.
pub fn child_iin(spec: &RegionSpec, n: u64) -> Iin {
    child_iin_of(spec, &child_slot(spec, n, false))
}

/// `app-<seed>-<n>`.
pub fn application_id(spec: &RegionSpec, n: u64) -> ApplicationId {
    ApplicationId(format!("app-{}-{n}", spec.seed))
}

/// The `n` of an id made by [`application_id`] for this spec.
pub fn application_index(spec: &RegionSpec, id: &str) -> Option<u64> {
    id.strip_prefix(&format!("app-{}-", spec.seed))?
        .parse()
        .ok()
}

/// A generated family: the child and the parent who applies.
struct Family {
    kazakh: bool,
    child: FullName,
    parent_iin: Iin,
    parent: FullName,
    birth_certificate: String,
}

fn family(rng: &mut ChaCha8Rng, child_sex: Sex) -> Family {
    let kazakh = rng.random_bool(0.75);
    let stem = if kazakh {
        *pick(rng, names::KAZAKH_SURNAMES)
    } else {
        *pick(rng, names::RUSSIAN_SURNAMES)
    };
    let kazakh_style = kazakh && rng.random_bool(0.6);
    let father_name: Father = if kazakh {
        Father::Kazakh(pick::<&str>(rng, names::KAZAKH_MALE))
    } else {
        Father::Russian(*pick(rng, names::RUSSIAN_MALE))
    };
    let father_given = match father_name {
        Father::Kazakh(f) => f,
        Father::Russian((f, _, _)) => f,
    };
    let no_patronymic = rng.random_bool(0.05);
    let child = FullName {
        surname: name(&names::surname_for(stem, child_sex)),
        given: name(&given_name(rng, kazakh, child_sex)),
        patronymic: patronymic_of(father_name, child_sex, kazakh_style, no_patronymic),
    };
    let parent_sex = if rng.random_bool(0.6) {
        Sex::Female
    } else {
        Sex::Male
    };
    let parent = FullName {
        surname: name(&names::surname_for(stem, parent_sex)),
        given: match parent_sex {
            Sex::Male => name(father_given),
            Sex::Female => name(&given_name(rng, kazakh, Sex::Female)),
        },
        patronymic: patronymic(rng, kazakh, parent_sex, kazakh_style),
    };
    let birth = random_date(rng, 1980, 2000);
    let parent_iin = iin_in_block(
        birth,
        parent_sex,
        rng.random_range(0..900),
        rng.random_range(0..9),
    );
    let series = *pick(rng, &["I-АҚ", "I-КО", "I-ПВ", "II-АҚ"]);
    let birth_certificate = format!("{series} № {:07}", rng.random_range(0..10_000_000u32));
    Family {
        kazakh,
        child,
        parent_iin,
        parent,
        birth_certificate,
    }
}

fn phone(rng: &mut ChaCha8Rng) -> Phone {
    let code = *pick(
        rng,
        &[
            "700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778",
        ],
    );
    Phone::parse(&format!(
        "+7{code}{:07}",
        rng.random_range(0..10_000_000u32)
    ))
    .expect("operator codes are mobile")
}

fn schools_in_district<'a>(region: &'a Region, district_id: &str) -> Vec<&'a School> {
    let here: Vec<&School> = region
        .schools
        .iter()
        .filter(|s| s.district_id == district_id)
        .collect();
    if here.is_empty() {
        region.schools.iter().collect()
    } else {
        here
    }
}

/// The n-th application of the region, deterministic in `(spec.seed, n)`.
///
/// Child born in `admission_year - 6` (about 3 % a year older), its own child for each
/// `n`, school of the address's micro-district (or another school of the
/// district for the 5 % of addresses in none), kk ≈ 65 % / ru ≈ 35 %, photo + medical +
/// birth certificate, all consents, submitted 1 April – 31 May (+05:00), statuses
/// ≈ 45 % new, 20 % under review, 20 % accepted, 10 % rejected, 5 % withdrawn.
///
/// Panics if the region has no addresses or no schools (`RegionSpec::schools == 0`).
pub fn application(spec: &RegionSpec, region: &Region, n: u64) -> Application {
    let mut rng = rng_for(spec.seed, STREAM_APPLICATION, n);
    let slot = child_slot(spec, n, false);
    let child_iin = child_iin_of(spec, &slot);
    let fam = family(&mut rng, slot.sex);
    let language = if rng.random_bool(if fam.kazakh { 0.82 } else { 0.14 }) {
        InstructionLanguage::Kk
    } else {
        InstructionLanguage::Ru
    };
    let addr = pick(&mut rng, &region.addresses);
    let school = match addr
        .micro_district
        .as_ref()
        .and_then(|md| region.school_of(md))
    {
        Some(s) => s.id.clone(),
        None => pick(&mut rng, &schools_in_district(region, &addr.district_id))
            .id
            .clone(),
    };
    let full_address = match language {
        InstructionLanguage::Kk => addr.full_kk.clone(),
        InstructionLanguage::Ru => addr.full_ru.clone(),
    };
    let id = application_id(spec, n);

    let opens = domain::office_time::office_day_start(
        Date::from_calendar_date(spec.admission_year, Month::April, 1).expect("1 April exists"),
    );
    let submitted_at = opens + Duration::seconds(rng.random_range(0..61 * 86_400));

    let r: f64 = rng.random();
    let status = match r {
        r if r < 0.45 => Status::New,
        r if r < 0.65 => Status::UnderReview,
        r if r < 0.85 => Status::Accepted,
        r if r < 0.95 => Status::Rejected,
        _ => Status::Withdrawn,
    };
    let version = match status {
        Status::New => 1,
        Status::UnderReview => 2,
        _ => rng.random_range(2..=3),
    };
    let reject_reason = (status == Status::Rejected).then(|| {
        let code = *pick(&mut rng, &RejectReasonCode::ALL);
        let text = match code {
            RejectReasonCode::Other => {
                Some("Құжаттардағы деректер сәйкес келмейді / Данные в документах не совпадают")
            }
            _ => None,
        };
        RejectReason::new(code, text).expect("other has a text")
    });

    let extra_phone = rng.random_bool(0.2).then(|| phone(&mut rng));
    let email = rng.random_bool(0.45).then(|| {
        let domain = *pick(
            &mut rng,
            &["mail.kz", "gmail.com", "mail.ru", "inbox.kz", "yandex.kz"],
        );
        Email::parse(&format!(
            "{}.{}{}@{domain}",
            transliterate(fam.parent.given.as_str()),
            transliterate(fam.parent.surname.as_str()),
            n % 1000
        ))
        .expect("transliterated names make valid e-mails")
    });
    let contacts = Contacts {
        phone: phone(&mut rng),
        extra_phone,
        email,
    };
    let actual_address = rng.random_bool(0.1).then(|| {
        let other = pick(&mut rng, &region.addresses);
        match language {
            InstructionLanguage::Kk => other.full_kk.clone(),
            InstructionLanguage::Ru => other.full_ru.clone(),
        }
    });
    let temporary_registration = rng.random_bool(0.03).then(|| {
        let other = pick(&mut rng, &region.addresses);
        let from =
            Date::from_calendar_date(spec.admission_year, Month::January, 10).expect("date exists");
        let until = Date::from_calendar_date(spec.admission_year + 1, Month::January, 10)
            .expect("date exists");
        TemporaryRegistration::new(&other.full_ru, from, until)
            .expect("non-empty address, from < until")
    });

    let documents = [
        DocumentKind::Photo,
        DocumentKind::MedicalCertificate,
        DocumentKind::BirthCertificate,
    ]
    .into_iter()
    .map(|kind| {
        let bytes = document_bytes_for(&id, child_iin, kind);
        DocumentMeta {
            id: document_id(&id, kind),
            kind,
            file_name: match kind {
                DocumentKind::Photo => "photo.png".to_string(),
                other => format!("{}.pdf", other.as_str()),
            },
            media_type: media_type(kind).to_string(),
            size: bytes.len() as u64,
            sha256: hex::encode(Sha256::digest(&bytes)),
        }
    })
    .collect();

    Application {
        id,
        number: ApplicationNumber::Portal {
            year: u16::try_from(spec.admission_year).unwrap_or(2026),
            seq: u32::try_from(n + 1).unwrap_or(u32::MAX),
        },
        submitted_at,
        applicant: Applicant {
            iin: fam.parent_iin,
            name: fam.parent,
        },
        child: Child {
            iin: child_iin,
            name: fam.child,
            birth_certificate: fam.birth_certificate,
            registered_address: Address {
                id: Some(addr.id.clone()),
                full: full_address,
                micro_district: addr.micro_district.clone(),
            },
        },
        contacts,
        actual_address,
        temporary_registration,
        school,
        grade: Grade::FIRST,
        language,
        documents,
        consents: Consents {
            admission_rules: true,
            portal_terms: true,
            personal_data: true,
            notifications: Some(match language {
                InstructionLanguage::Kk => Lang::Kk,
                InstructionLanguage::Ru => Lang::Ru,
            }),
            notification_channel: None,
        },
        status,
        version,
        reject_reason,
        on_behalf: false,
    }
}

/// A lazy iterator of applications `0..count`; nothing is held between items.
pub fn applications<'a>(
    spec: &'a RegionSpec,
    region: &'a Region,
    count: u64,
) -> impl Iterator<Item = Application> + 'a {
    (0..count).map(move |n| application(spec, region, n))
}

fn document_id(app: &ApplicationId, kind: DocumentKind) -> String {
    format!("{app}-{}", kind.as_str())
}

fn media_type(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Photo => "image/png",
        _ => "application/pdf",
    }
}

fn document_bytes_for(app: &ApplicationId, child: Iin, kind: DocumentKind) -> Vec<u8> {
    let label = format!("{app} {} child {child}", kind.as_str());
    match kind {
        DocumentKind::Photo => documents::photo_png(splitmix(child_number(child)), &label),
        _ => documents::pdf(&[
            match kind {
                DocumentKind::MedicalCertificate => "Medical certificate 065/u (demo)".to_string(),
                DocumentKind::BirthCertificate => "Birth certificate (demo)".to_string(),
                other => format!("{} (demo)", other.as_str()),
            },
            format!("Application: {app}"),
            format!("Child IIN: {child}"),
        ]),
    }
}

fn child_number(iin: Iin) -> u64 {
    iin.as_string().parse().unwrap_or(0)
}

/// The bytes of a document of a generated application, matching the size and SHA-256
/// in its [`DocumentMeta`]; `None` for an id this spec did not generate.
pub fn document_bytes(spec: &RegionSpec, document_id: &str) -> Option<(DocumentKind, Vec<u8>)> {
    let prefix = format!("app-{}-", spec.seed);
    let rest = document_id.strip_prefix(&prefix)?;
    let (n, kind) = rest.split_once('-')?;
    let n: u64 = n.parse().ok()?;
    let kind = DocumentKind::parse(kind)?;
    if !matches!(
        kind,
        DocumentKind::Photo | DocumentKind::MedicalCertificate | DocumentKind::BirthCertificate
    ) {
        return None;
    }
    Some((
        kind,
        document_bytes_for(&application_id(spec, n), child_iin(spec, n), kind),
    ))
}

/// The register entry of the child of application `n` (what "Check IIN" returns, R-22).
pub fn application_child(spec: &RegionSpec, region: &Region, n: u64) -> RegisterPerson {
    let app = application(spec, region, n);
    RegisterPerson {
        iin: app.child.iin,
        name: app.child.name,
        birth_certificate: app.child.birth_certificate,
        address_id: app.child.registered_address.id.unwrap_or_default(),
        parent_iin: app.applicant.iin,
        parent_name: app.applicant.name,
    }
}

/// Children in the population register with no application yet: the walk-in parents
/// of part C. Every fourth lives at an address in no micro-district. Their IINs
/// never meet the children of [`application`] (serials 5000-9999 against 0-4999).
pub fn walk_in_children(spec: &RegionSpec, region: &Region, count: usize) -> Vec<RegisterPerson> {
    let unbound: Vec<&RegisterAddress> = region
        .addresses
        .iter()
        .filter(|a| a.micro_district.is_none())
        .collect();
    (0..count as u64)
        .map(|m| {
            let mut rng = rng_for(spec.seed, STREAM_WALK_IN, m);
            let slot = child_slot(spec, m, true);
            let iin = child_iin_of(spec, &slot);
            let fam = family(&mut rng, slot.sex);
            let addr = if m % 4 == 3 && !unbound.is_empty() {
                *pick(&mut rng, &unbound)
            } else {
                pick(&mut rng, &region.addresses)
            };
            RegisterPerson {
                iin,
                name: fam.child,
                birth_certificate: fam.birth_certificate,
                address_id: addr.id.clone(),
                parent_iin: fam.parent_iin,
                parent_name: fam.parent,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
