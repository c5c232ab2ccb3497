//! Round trips through the real tools a reader of the paper would use: `pdftotext`
//! (poppler-utils) reads the text back, `pdftoppm` + `zbarimg` (zbar-tools) scan the QR
//! (issue 7, R-35). Both are installed by scripts/setup.

#![allow(clippy::unwrap_used)] // a test that cannot read its own fixtures should stop loudly

use receipts::{
    ErrorCode, QrPayload, Receipt, ReceiptInput, ReceiptKind, ReceiptStyle, render, verify,
};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

const EXAMPLES: [&str; 6] = [
    "acceptance-kk",
    "acceptance-ru",
    "documents-kk",
    "documents-ru",
    "rejection-kk",
    "rejection-ru",
];

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

fn example_json(name: &str) -> String {
    std::fs::read_to_string(examples_dir().join(format!("{name}.json"))).unwrap()
}

fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Writes the PDF to `dir` and returns its path.
fn write_pdf(dir: &Path, name: &str, pdf: &[u8]) -> PathBuf {
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).unwrap();
    path
}

/// Text in content order, with every run of whitespace (line breaks of wrapped text
/// included) folded to one space; a word wrapped after its hyphen is joined again.
fn extracted_text(pdf: &Path) -> String {
    let raw = run(Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-"));
    raw.replace("-\n", "-")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn scanned_qr(pdf: &Path, dir: &Path) -> String {
    let prefix = dir.join(pdf.file_stem().unwrap());
    run(Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-f", "1", "-l", "9"])
        .arg(pdf)
        .arg(&prefix));
    let mut pngs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "png")
                && p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(&*prefix.file_name().unwrap().to_string_lossy())
        })
        .collect();
    pngs.sort();
    let mut found = Vec::new();
    for png in &pngs {
        let out = Command::new("zbarimg")
            .args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"])
            .arg(png)
            .output()
            .unwrap();
        // zbarimg exits 4 on a page without a code (continuation pages).
        found.extend(
            String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .map(str::to_string),
        );
    }
    assert_eq!(
        found.len(),
        1,
        "exactly one QR code in the document, found {found:?}"
    );
    found.remove(0)
}

fn page_count(pdf: &Path) -> u32 {
    let info = run(Command::new("pdfinfo").arg(pdf));
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every fact of the receipt, as it must read on paper.
fn expected_facts(r: &Receipt) -> Vec<String> {
    let mut facts = vec![
        r.number.to_string(),
        r.school.name.clone(),
        r.school.address.clone(),
        r.child.name.display(),
        r.child.iin.to_string(),
        format!(
            "{:02}.{:02}.{}",
            r.child.birth_date().day(),
            u8::from(r.child.birth_date().month()),
            r.child.birth_date().year()
        ),
        r.applicant.name.display(),
        r.applicant.iin.to_string(),
        r.applicant.phone.display(),
        r.clerk.name.to_string(),
        r.clerk.iin.to_string(),
        r.language_of_instruction.label(r.lang).to_string(),
        format!(
            "{:02}.{:02}.{} {:02}:{:02}",
            r.decided_at.day(),
            u8::from(r.decided_at.month()),
            r.decided_at.year(),
            r.decided_at.hour(),
            r.decided_at.minute()
        ),
        QrPayload::for_receipt(r).to_string(),
    ];
    facts.extend(r.documents.iter().cloned());
    if let ReceiptKind::Rejection(reason) = &r.kind {
        facts.push(reason.code().label(r.lang).to_string());
        facts.extend(reason.text().map(str::to_string));
    }
    facts.into_iter().map(|f| fold(&f)).collect()
}

/// Words of each kind and language that must be printed (titles, R-30, R-28, R-14).
fn expected_words(name: &str) -> &'static [&'static str] {
    match name {
        "acceptance-kk" => &[
            "Мектепке қабылдау туралы қолхат",
            "2026 жылғы 5 қыркүйекке дейін",
            "Сынып 1",
        ],
        "acceptance-ru" => &[
            "Расписка о приёме в школу",
            "до 5 сентября 2026 года",
            "Класс 1",
        ],
        "documents-kk" => &[
            "Құжаттарды қабылдау туралы қолхат",
            "УАҚЫТША ҚҰЖАТ",
            "Жергілікті нөмір: L-2026-000017",
        ],
        "documents-ru" => &[
            "Расписка о приёме документов",
            "ПРЕДВАРИТЕЛЬНЫЙ ДОКУМЕНТ",
            "Локальный номер: L-2026-000017",
        ],
        "rejection-kk" => &[
            "Қабылдаудан дәлелді бас тарту",
            "өтінішті қайтадан беруге құқығыңыз бар",
        ],
        "rejection-ru" => &[
            "Мотивированный отказ в приёме",
            "Вы вправе подать заявление повторно",
        ],
        _ => unreachable!(),
    }
}

#[test]
fn every_kind_in_both_languages_reads_back_scans_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    for name in EXAMPLES {
        let receipt =
            ReceiptInput::parse(&example_json(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let pdf = render(&receipt, &ReceiptStyle::default());
        // Size only (issue 7 budget); speed is measured by the benchmarks, not here.
        assert!(pdf.len() <= 100 * 1024, "{name}: {} bytes", pdf.len());
        let path = write_pdf(dir.path(), name, &pdf);
        assert_eq!(
            page_count(&path),
            1,
            "{name}: a usual receipt fits on one A4 page"
        );

        let text = extracted_text(&path);
        for fact in expected_facts(&receipt)
            .iter()
            .map(String::as_str)
            .chain(expected_words(name).iter().copied())
        {
            assert!(
                text.contains(fact),
                "{name}: {fact:?} not found in:\n{text}"
            );
        }
        let provisional_marks = ["УАҚЫТША ҚҰЖАТ", "ПРЕДВАРИТЕЛЬНЫЙ ДОКУМЕНТ"];
        assert_eq!(
            provisional_marks.iter().any(|m| text.contains(m)),
            receipt.is_provisional(),
            "{name}: provisional mark iff local number"
        );

        let scanned = scanned_qr(&path, dir.path());
        let payload = QrPayload::for_receipt(&receipt);
        assert_eq!(scanned, payload.to_string(), "{name}");
        let kind = name.split('-').next().unwrap();
        let signed =
            std::fs::read(examples_dir().join("signed").join(format!("{kind}.json"))).unwrap();
        assert_eq!(verify(&scanned, &signed), Ok(payload), "{name}");
        assert_eq!(
            verify(&scanned, b"other bytes").map_err(|e| e.code()),
            Err(ErrorCode::DigestMismatch)
        );
    }
}

const KAZAKH_LETTERS: &str = "ӘәҒғҚқҢңӨөҰұҮүҺһІі";

fn long_name_input() -> Value {
    let mut v: Value = serde_json::from_str(&example_json("acceptance-kk")).unwrap();
    // Every Kazakh-specific letter, upper and lower case, and names near the 100-letter limit.
    v["child"]["surname"] = json!(
        "Әбдіғаппарова-Құрманғазықызы-Ңұрөзбекова-Ұлықбекқызы-Үмбетәліева-Һәмидоллақызы-Іңкәрова"
    );
    v["child"]["name"] =
        json!("Өмірзақ-Ғайша Ақбөпе Гүлжаһан Нұрсұлу Айкүміс Шұғыла Балауса Әсемгүл Жансая");
    v["child"]["patronymic"] = json!("Ғалымжанқызы");
    v["applicant"]["surname"] = json!("Қасымжомартов-Сейітқасымов-Әбдірахманов");
    v["applicant"]["name"] = json!("Һидаят Іңкәр Ұлан Үсен Өркен Ғани Қуаныш Ңөлдек");
    v["clerk"]["name"] =
        json!("Жұмабекова-Тоқтарбаева Гүлнәр Серікқызы Әлішерқызы Нұржамалқызы Һәмидоллақызы");
    v["school"]["name"] = json!(
        "Қостанай облысы әкімдігі білім басқармасының «Лисаков қаласының Ыбырай Алтынсарин атындағы № 4 жалпы білім беретін мектеп-гимназиясы» коммуналдық мемлекеттік мекемесі"
    );
    v
}

#[test]
fn kazakh_letters_and_long_names_wrap_inside_the_page_and_read_back_exactly() {
    let receipt = ReceiptInput::parse(&long_name_input().to_string()).unwrap();
    let pdf = render(&receipt, &ReceiptStyle::default());
    assert!(pdf.len() <= 100 * 1024, "{} bytes", pdf.len());
    let dir = tempfile::tempdir().unwrap();
    let path = write_pdf(dir.path(), "long", &pdf);
    let text = extracted_text(&path);
    for fact in expected_facts(&receipt) {
        assert!(text.contains(&fact), "{fact:?} not found in:\n{text}");
    }
    for letter in KAZAKH_LETTERS.chars() {
        assert!(text.contains(letter), "letter {letter} lost");
    }

    // The long child name did wrap: no single printed line holds it whole.
    let lines = run(Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-"));
    let child = receipt.child.name.display();
    assert!(
        !lines.lines().any(|l| l.contains(&child)),
        "the long name was not wrapped"
    );

    // Nothing overflows: every word's box lies inside the page, right of the left margin
    // and left of the right margin (A4 = 595.3 pt wide, margin 18 mm = 51 pt).
    let bbox = run(Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-"));
    let margin_pt = ReceiptStyle::default().margin_mm * 72.0 / 25.4;
    let mut words = 0;
    for line in bbox.lines().filter(|l| l.trim_start().starts_with("<word")) {
        let attr = |name: &str| -> f32 {
            let key = format!("{name}=\"");
            let start = line.find(&key).unwrap() + key.len();
            line[start..].split('"').next().unwrap().parse().unwrap()
        };
        let (x_min, x_max) = (attr("xMin"), attr("xMax"));
        assert!(
            x_min >= margin_pt - 1.0 && x_max <= 595.3 - margin_pt + 1.0,
            "word out of the column: {line}"
        );
        words += 1;
    }
    assert!(words > 100, "bbox output parsed ({words} words)");
}

#[test]
fn a_document_list_longer_than_a_page_flows_onto_the_next_page_with_one_qr() {
    let mut v: Value = serde_json::from_str(&example_json("rejection-ru")).unwrap();
    let docs: Vec<String> = (1..=40)
        .map(|i| format!("Дополнительный документ номер {i} с длинным описанием содержимого"))
        .collect();
    v["documents"] = json!(docs);
    v["reason"] = json!({"code": "other", "text": "Пояснение. ".repeat(90)});
    let receipt = ReceiptInput::parse(&v.to_string()).unwrap();
    let pdf = render(&receipt, &ReceiptStyle::default());
    assert!(pdf.len() <= 100 * 1024, "{} bytes", pdf.len());
    let dir = tempfile::tempdir().unwrap();
    let path = write_pdf(dir.path(), "many", &pdf);
    let pages = page_count(&path);
    assert!(pages >= 2, "{pages} pages");
    let text = extracted_text(&path);
    for fact in expected_facts(&receipt) {
        assert!(text.contains(&fact), "{fact:?} not found");
    }
    assert!(text.contains(&format!("стр. {pages}/{pages}")));
    assert_eq!(
        scanned_qr(&path, dir.path()),
        QrPayload::for_receipt(&receipt).to_string()
    );
}

#[test]
fn the_same_receipt_renders_to_the_same_bytes() {
    let receipt = ReceiptInput::parse(&example_json("acceptance-ru")).unwrap();
    assert_eq!(
        render(&receipt, &ReceiptStyle::default()),
        render(&receipt, &ReceiptStyle::default())
    );
}

#[test]
fn an_unsigned_receipt_says_so_and_its_payload_does_not_verify() {
    let mut v: Value = serde_json::from_str(&example_json("acceptance-ru")).unwrap();
    v.as_object_mut().unwrap().remove("signature_digest");
    let receipt = ReceiptInput::parse(&v.to_string()).unwrap();
    let payload = QrPayload::for_receipt(&receipt).to_string();
    assert!(payload.ends_with("|-"), "{payload}");
    let dir = tempfile::tempdir().unwrap();
    let path = write_pdf(
        dir.path(),
        "unsigned",
        &render(&receipt, &ReceiptStyle::default()),
    );
    assert!(extracted_text(&path).contains("решение ещё не подписано ЭЦП"));
    assert_eq!(
        verify(&payload, b"anything").map_err(|e| e.code()),
        Err(ErrorCode::PayloadUnsigned)
    );
}

/// What to change in a valid input, and the error code and field expected.
type Mutation = fn(&mut Value);

#[test]
fn bad_inputs_name_their_field() {
    fn remove(v: &mut Value, pointer: &str) {
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        v.pointer_mut(parent)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove(key);
    }
    fn set(v: &mut Value, pointer: &str, value: Value) {
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        match v.pointer_mut(parent).unwrap() {
            Value::Object(o) => {
                o.insert(key.to_string(), value);
            }
            Value::Array(a) => a[key.parse::<usize>().unwrap()] = value,
            other => panic!("{pointer}: parent is {other}"),
        }
    }
    use ErrorCode::{
        FieldInvalid as Invalid, FieldMissing as Missing, FieldNotAllowed as NotAllowed,
    };
    let cases: &[(&str, Mutation, ErrorCode, &str)] = &[
        ("no kind", |v| remove(v, "/kind"), Missing, "kind"),
        (
            "unknown kind",
            |v| set(v, "/kind", json!("approval")),
            Invalid,
            "kind",
        ),
        (
            "unknown lang",
            |v| set(v, "/lang", json!("en")),
            Invalid,
            "lang",
        ),
        (
            "no number",
            |v| remove(v, "/application_number"),
            Missing,
            "application_number",
        ),
        (
            "bad number",
            |v| set(v, "/application_number", json!("12345")),
            Invalid,
            "application_number",
        ),
        (
            "provisional with a portal number",
            |v| set(v, "/provisional", json!(true)),
            Invalid,
            "provisional",
        ),
        (
            "provisional not a bool",
            |v| set(v, "/provisional", json!("yes")),
            Invalid,
            "provisional",
        ),
        ("no school", |v| remove(v, "/school"), Missing, "school"),
        (
            "empty school name",
            |v| set(v, "/school/name", json!("  ")),
            Invalid,
            "school.name",
        ),
        (
            "no school address",
            |v| remove(v, "/school/address"),
            Missing,
            "school.address",
        ),
        ("no child", |v| remove(v, "/child"), Missing, "child"),
        (
            "no child surname",
            |v| remove(v, "/child/surname"),
            Missing,
            "child.surname",
        ),
        (
            "digit in child name",
            |v| set(v, "/child/name", json!("Әйгерім2")),
            Invalid,
            "child.name",
        ),
        (
            "bad child patronymic",
            |v| set(v, "/child/patronymic", json!("-қызы")),
            Invalid,
            "child.patronymic",
        ),
        (
            "no child iin",
            |v| remove(v, "/child/iin"),
            Missing,
            "child.iin",
        ),
        (
            "child iin check digit",
            |v| set(v, "/child/iin", json!("200315601232")),
            Invalid,
            "child.iin",
        ),
        (
            "child iin as a number",
            |v| set(v, "/child/iin", json!(200315601231u64)),
            Invalid,
            "child.iin",
        ),
        (
            "no birth date",
            |v| remove(v, "/child/birth_date"),
            Missing,
            "child.birth_date",
        ),
        (
            "birth date format",
            |v| set(v, "/child/birth_date", json!("15.03.2020")),
            Invalid,
            "child.birth_date",
        ),
        (
            "birth date not the IIN's",
            |v| set(v, "/child/birth_date", json!("2020-03-16")),
            Invalid,
            "child.birth_date",
        ),
        (
            "no applicant",
            |v| remove(v, "/applicant"),
            Missing,
            "applicant",
        ),
        (
            "no applicant name",
            |v| remove(v, "/applicant/name"),
            Missing,
            "applicant.name",
        ),
        (
            "applicant iin length",
            |v| set(v, "/applicant/iin", json!("85113030321")),
            Invalid,
            "applicant.iin",
        ),
        (
            "no phone",
            |v| remove(v, "/applicant/phone"),
            Missing,
            "applicant.phone",
        ),
        (
            "bad phone",
            |v| set(v, "/applicant/phone", json!("+7 123")),
            Invalid,
            "applicant.phone",
        ),
        ("no class", |v| remove(v, "/class"), Missing, "class"),
        (
            "class 12",
            |v| set(v, "/class", json!(12)),
            Invalid,
            "class",
        ),
        (
            "class as a word",
            |v| set(v, "/class", json!("first")),
            Invalid,
            "class",
        ),
        (
            "no language",
            |v| remove(v, "/language_of_instruction"),
            Missing,
            "language_of_instruction",
        ),
        (
            "bad language",
            |v| set(v, "/language_of_instruction", json!("en")),
            Invalid,
            "language_of_instruction",
        ),
        (
            "no decision time",
            |v| remove(v, "/decided_at"),
            Missing,
            "decided_at",
        ),
        (
            "decision time without offset",
            |v| set(v, "/decided_at", json!("2026-06-01 10:15")),
            Invalid,
            "decided_at",
        ),
        ("no clerk", |v| remove(v, "/clerk"), Missing, "clerk"),
        (
            "no clerk name",
            |v| remove(v, "/clerk/name"),
            Missing,
            "clerk.name",
        ),
        (
            "bad clerk iin",
            |v| set(v, "/clerk/iin", json!("900101405555")),
            Invalid,
            "clerk.iin",
        ),
        (
            "no documents",
            |v| remove(v, "/documents"),
            Missing,
            "documents",
        ),
        (
            "documents not a list",
            |v| set(v, "/documents", json!("photo")),
            Invalid,
            "documents",
        ),
        (
            "empty document name",
            |v| set(v, "/documents/1", json!("")),
            Invalid,
            "documents[1]",
        ),
        (
            "document name not text",
            |v| set(v, "/documents/2", json!(7)),
            Invalid,
            "documents[2]",
        ),
        (
            "reason on an acceptance",
            |v| set(v, "/reason", json!({"code": "age"})),
            NotAllowed,
            "reason",
        ),
        (
            "short digest",
            |v| set(v, "/signature_digest", json!("7623b873")),
            Invalid,
            "signature_digest",
        ),
        (
            "rejection without reason",
            |v| set(v, "/kind", json!("rejection")),
            Missing,
            "reason",
        ),
        (
            "unknown reason code",
            |v| {
                set(v, "/kind", json!("rejection"));
                set(v, "/reason", json!({"code": "bribe"}));
            },
            Invalid,
            "reason.code",
        ),
        (
            "no reason code",
            |v| {
                set(v, "/kind", json!("rejection"));
                set(v, "/reason", json!({"text": "x"}));
            },
            Missing,
            "reason.code",
        ),
        (
            "other without text",
            |v| {
                set(v, "/kind", json!("rejection"));
                set(v, "/reason", json!({"code": "other", "text": " "}));
            },
            Invalid,
            "reason.text",
        ),
        (
            "reason text too long",
            |v| {
                set(v, "/kind", json!("rejection"));
                set(
                    v,
                    "/reason",
                    json!({"code": "other", "text": "а".repeat(1001)}),
                );
            },
            Invalid,
            "reason.text",
        ),
        (
            "document receipt without documents",
            |v| {
                set(v, "/kind", json!("documents"));
                set(v, "/documents", json!([]));
            },
            Invalid,
            "documents",
        ),
    ];
    let valid: Value = serde_json::from_str(&example_json("acceptance-kk")).unwrap();
    assert!(ReceiptInput::parse(&valid.to_string()).is_ok());
    for (what, mutate, code, field) in cases {
        let mut v = valid.clone();
        mutate(&mut v);
        let err = ReceiptInput::parse(&v.to_string()).expect_err(what);
        assert_eq!(
            (err.code(), err.field()),
            (*code, Some(*field)),
            "{what}: {err}"
        );
        assert!(
            err.to_string().contains(field),
            "{what}: English names the field: {err}"
        );
        for lang in domain::Lang::ALL {
            assert!(
                err.message(lang).contains(&format!("«{field}»")),
                "{what}: {}",
                err.message(lang)
            );
        }
    }
}

#[test]
fn text_that_is_not_json_is_reported_with_its_position() {
    for input in ["", "{", "{\"kind\": \"acceptance\",}", "{} trailing"] {
        let err = ReceiptInput::parse(input).expect_err(input);
        assert_eq!(err.code(), ErrorCode::InputNotJson, "{input:?}: {err}");
        assert_eq!(err.field(), None);
    }
}

#[test]
fn optional_fields_have_documented_defaults() {
    let mut v: Value = serde_json::from_str(&example_json("documents-ru")).unwrap();
    let obj = v.as_object_mut().unwrap();
    obj.remove("lang");
    obj.remove("provisional");
    obj.remove("signature_digest");
    obj.insert("note".into(), json!("unknown fields are ignored"));
    v["child"]["patronymic"] = Value::Null;
    let r = ReceiptInput::parse(&v.to_string()).unwrap();
    assert_eq!(
        r.lang,
        domain::Lang::Ru,
        "lang defaults to the language of instruction"
    );
    assert!(r.is_provisional(), "provisional follows the local number");
    assert_eq!(r.signature_digest, None);
    assert_eq!(r.child.name.patronymic, None);
}
