use crate::views::{Catalogue, CatalogueEntry};
use domain::{DocumentKind, ErrorCode, InstructionLanguage, Lang, RejectReasonCode, Status};

fn entry(key: &str, text: impl Fn(Lang) -> String) -> CatalogueEntry {
    CatalogueEntry {
        key: key.to_string(),
        kk: text(Lang::Kk),
        ru: text(Lang::Ru),
    }
}

/// Sync marks as UI.md names them.
const SYNC_MARKS: &[(&str, &str, &str)] = &[
    ("none", "Порталда", "На портале"),
    ("waiting", "Жіберуді күтуде", "Ожидает отправки"),
    ("refused", "Портал қабылдамады", "Отклонено порталом"),
];

/// Kinds of history entries.
pub const HISTORY_KINDS: &[(&str, &str, &str)] = &[
    ("submitted", "Өтініш берілді", "Заявление подано"),
    (
        "submitted_on_behalf",
        "Өтініш берушінің атынан берілді",
        "Подано от имени заявителя",
    ),
    (
        "taken_for_review",
        "Қарауға алынды",
        "Взято на рассмотрение",
    ),
    ("accepted", "Қабылданды", "Принято"),
    ("rejected", "Бас тартылды", "Отказано"),
    ("withdrawn", "Қайтарып алынды", "Отозвано"),
    (
        "sent_to_portal",
        "Порталға жіберілді",
        "Отправлено на портал",
    ),
    (
        "refused_by_portal",
        "Портал қабылдамады",
        "Отклонено порталом",
    ),
    (
        "number_assigned",
        "Портал нөмір берді",
        "Портал присвоил номер",
    ),
    (
        "changed_on_portal",
        "Порталда өзгертілді",
        "Изменено на портале",
    ),
];

/// Codes of the store and desk, which have no detail worth more than their text.
const OTHER_ERRORS: &[(&str, &str, &str)] = &[
    (
        "DB_NOT_A_DATABASE",
        "Файл Qabyldau журналы емес немесе зақымдалған. Файл өзгертілмеді: әкімшіге хабарласыңыз.",
        "Файл не является журналом Qabyldau или повреждён. Файл не изменён: обратитесь к администратору.",
    ),
    (
        "DB_CORRUPT",
        "Журнал файлы зақымдалған. Файл өзгертілмеді: сақтық көшірмеден қалпына келтіру үшін әкімшіге хабарласыңыз.",
        "Файл журнала повреждён. Файл не изменён: обратитесь к администратору для восстановления из резервной копии.",
    ),
    (
        "DB_NEWER_THAN_APP",
        "Журналды Qabyldau-дың жаңа нұсқасы жазған. Бағдарламаны жаңартыңыз.",
        "Журнал записан более новой версией Qabyldau. Обновите программу.",
    ),
    (
        "DB_MIGRATION_EDITED",
        "Бағдарлама жинағы бұзылған (дерекқор сызбасы өзгертілген). Әкімшіге хабарласыңыз.",
        "Сборка программы повреждена (изменена схема базы). Обратитесь к администратору.",
    ),
    (
        "DB_IO",
        "Журнал файлын оқу не жазу мүмкін емес: дискті тексеріңіз.",
        "Не удаётся прочитать или записать файл журнала: проверьте диск.",
    ),
    (
        "DB_DAMAGED",
        "Журналдағы жазба зақымдалған. Әкімшіге хабарласыңыз.",
        "Запись в журнале повреждена. Обратитесь к администратору.",
    ),
    (
        "DB_ERROR",
        "Журнал дерекқорының қатесі. Қайталап көріңіз.",
        "Ошибка базы журнала. Попробуйте ещё раз.",
    ),
    (
        "APPLICATION_NOT_FOUND",
        "Өтініш журналда табылмады.",
        "Заявление не найдено в журнале.",
    ),
    (
        "DOCUMENT_NOT_FOUND",
        "Құжат журналда табылмады.",
        "Документ не найден в журнале.",
    ),
    (
        "NO_FREE_PLACES",
        "Мектепте осы сынып пен оқыту тілі бойынша бос орын қалмады.",
        "В школе не осталось свободных мест для этого класса и языка обучения.",
    ),
    (
        "INVALID_INPUT",
        "Кейбір өрістер қате толтырылған: белгіленген өрістерді түзетіңіз.",
        "Некоторые поля заполнены неверно: исправьте отмеченные поля.",
    ),
    (
        "DOCUMENT_UNREADABLE",
        "Файлды оқу мүмкін емес: басқа файлды таңдаңыз.",
        "Не удаётся прочитать файл: выберите другой файл.",
    ),
    (
        "SCHOOL_UNKNOWN",
        "Мектеп анықтамалықта жоқ: тізімнен таңдаңыз.",
        "Школы нет в справочнике: выберите из списка.",
    ),
    (
        "RECEIPT_NOT_AVAILABLE",
        "Бұл күйдегі өтінішке қолхат жоқ.",
        "Для заявления в этом статусе расписки нет.",
    ),
    (
        "RECEIPT_MISMATCH",
        "Қолхат журналдағы жазбаға сәйкес келмейді: оны жалған деп санаңыз.",
        "Расписка не совпадает с записью в журнале: считайте её недействительной.",
    ),
    (
        "APPLICATION_PROVISIONAL",
        "Өтініш әлі порталға жіберілмеген (уақытша нөмір): портал нөмір бергеннен кейін шешім қабылдаңыз.",
        "Заявление ещё не отправлено на портал (временный номер): примите решение после того, как портал присвоит номер.",
    ),
    (
        "NOT_SIGNED_IN",
        "Жүйеге ешкім кірмеген: шешімге қол қою үшін ЭЦҚ арқылы кіріңіз.",
        "Никто не вошёл в систему: войдите с ЭЦП, чтобы подписать решение.",
    ),
    (
        "DOCUMENT_NOT_CACHED",
        "Құжат бұл компьютерде сақталмаған: интернетке қосылғанда ол порталдан жүктеледі.",
        "Документ не сохранён на этом компьютере: он загрузится с портала, когда будет связь.",
    ),
    (
        "BAD_QUERY",
        "Сүзгі мәні жарамсыз: өрістерді тексеріңіз.",
        "Неверное значение фильтра: проверьте поля.",
    ),
    (
        "UNKNOWN",
        "Белгісіз қате. Қайталап көріңіз.",
        "Неизвестная ошибка. Попробуйте ещё раз.",
    ),
    // Settings, configuration file, PKCS#11 modules, backups (issue 13).
    (
        "SETTING_INVALID",
        "Мән қабылданбады: белгіленген өрісті түзетіңіз. Ештеңе сақталған жоқ.",
        "Значение не принято: исправьте отмеченное поле. Ничего не сохранено.",
    ),
    (
        "SETTINGS_FILE_INVALID",
        "Баптаулар файлын оқу мүмкін емес; ол өзгертілмеді. Бағдарлама әдепкі баптаулармен жұмыс істейді: файлды түзету үшін әкімшіге хабарласыңыз.",
        "Не удаётся прочитать файл настроек; он не изменён. Программа работает с настройками по умолчанию: обратитесь к администратору, чтобы исправить файл.",
    ),
    (
        "SETTINGS_FILE_NEWER",
        "Баптаулар файлын Qabyldau-дың жаңа нұсқасы жазған; ол өзгертілмеді. Бағдарламаны жаңартыңыз.",
        "Файл настроек записан более новой версией Qabyldau; он не изменён. Обновите программу.",
    ),
    (
        "SETTINGS_FILE_UNWRITABLE",
        "Баптаулар файлын жазу мүмкін болмады: ештеңе өзгерген жоқ. Қалтаға құқықты не дискті тексеріңіз.",
        "Не удалось записать файл настроек: ничего не изменено. Проверьте права на папку или диск.",
    ),
    (
        "PKCS11_MODULE_UNKNOWN",
        "Бұл токен модулі осы компьютердің тізімінде жоқ. Токендер тізімін жаңартып, қайта таңдаңыз.",
        "Этого модуля токена нет в списке этого компьютера. Обновите список токенов и выберите снова.",
    ),
    (
        "PKCS11_MODULE_REFUSED",
        "Бұл файл токен модулі ретінде қабылданбайды: осы компьютердегі .dll / .so кітапхананы таңдаңыз (желілік қалта емес).",
        "Этот файл не принимается как модуль токена: выберите библиотеку .dll / .so на этом компьютере (не в сетевой папке).",
    ),
    (
        "PORTAL_TLS_FAILED",
        "Портал қорғалған байланысты растай алмады (сертификат сенімсіз). Мекенжайды тексеріңіз немесе әкімшіге хабарласыңыз.",
        "Портал не подтвердил защищённое соединение (сертификат не доверенный). Проверьте адрес или обратитесь к администратору.",
    ),
    (
        "BACKUP_NOT_FOUND",
        "Сақтық көшірме табылмады.",
        "Резервная копия не найдена.",
    ),
    (
        "RESTORE_SOURCE_INVALID",
        "Бұл файлдан қалпына келтіру мүмкін емес: ол Qabyldau журналы емес немесе зақымдалған. Журнал өзгертілмеді.",
        "Из этого файла восстановить нельзя: это не журнал Qabyldau или он повреждён. Журнал не изменён.",
    ),
];

/// The kk/ru text of any error code; unknown codes get the generic text.
pub fn error_text(code: &str, lang: Lang) -> &'static str {
    if let Some(c) = ErrorCode::ALL.iter().find(|c| c.as_str() == code) {
        return c.text(lang);
    }
    let (_, kk, ru) = OTHER_ERRORS
        .iter()
        .find(|(c, _, _)| *c == code)
        .or_else(|| OTHER_ERRORS.iter().find(|(c, _, _)| *c == "UNKNOWN"))
        .copied()
        .unwrap_or(("UNKNOWN", "Қате", "Ошибка"));
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
    }
}

fn pick(kk: &str, ru: &str, lang: Lang) -> String {
    match lang {
        Lang::Kk => kk.to_string(),
        Lang::Ru => ru.to_string(),
    }
}

/// Every label that comes from the rules, in both languages, for the UI.
pub fn catalogue() -> Catalogue {
    let table = |rows: &[(&str, &str, &str)]| {
        rows.iter()
            .map(|(k, kk, ru)| entry(k, |l| pick(kk, ru, l)))
            .collect()
    };
    let mut errors: Vec<CatalogueEntry> = ErrorCode::ALL
        .iter()
        .map(|c| entry(c.as_str(), |l| c.text(l).to_string()))
        .collect();
    errors.extend(
        OTHER_ERRORS
            .iter()
            .map(|(k, kk, ru)| entry(k, |l| pick(kk, ru, l))),
    );
    Catalogue {
        statuses: Status::ALL
            .iter()
            .map(|s| entry(s.as_str(), |l| s.label(l).to_string()))
            .collect(),
        sync_marks: table(SYNC_MARKS),
        reject_reasons: RejectReasonCode::ALL
            .iter()
            .map(|c| entry(c.as_str(), |l| c.label(l).to_string()))
            .collect(),
        document_kinds: DocumentKind::ALL
            .iter()
            .map(|k| entry(k.as_str(), |l| k.label(l).to_string()))
            .collect(),
        languages: InstructionLanguage::ALL
            .iter()
            .map(|k| entry(k.as_str(), |l| k.label(l).to_string()))
            .collect(),
        history_kinds: table(HISTORY_KINDS),
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_code_the_desk_can_give_has_text() {
        let cat = catalogue();
        let keys: std::collections::BTreeSet<&str> =
            cat.errors.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys.len(), cat.errors.len(), "no duplicate keys");
        for code in [
            "DB_NOT_A_DATABASE",
            "DB_CORRUPT",
            "DB_NEWER_THAN_APP",
            "DB_MIGRATION_EDITED",
            "DB_IO",
            "DB_DAMAGED",
            "DB_ERROR",
            "APPLICATION_NOT_FOUND",
            "DOCUMENT_NOT_FOUND",
            "BAD_QUERY",
            "IIN_CHECK_DIGIT",
        ] {
            assert!(keys.contains(code), "{code} has no text");
        }
        for e in &cat.errors {
            assert!(
                !e.kk.is_empty() && !e.ru.is_empty() && e.kk != e.ru,
                "{}",
                e.key
            );
        }
    }
}
