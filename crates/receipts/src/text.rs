//! Every printed word, in Kazakh and Russian. Kept apart from the layout so a
//! translator reads one file.

use domain::{ApplicationNumber, Lang};
use time::{Date, Month, OffsetDateTime};

/// The labels and sentences of one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Words {
    pub acceptance_title: &'static str,
    pub documents_title: &'static str,
    pub rejection_title: &'static str,
    pub provisional_banner: &'static str,
    pub number: &'static str,
    pub decision: &'static str,
    pub status: &'static str,
    pub decision_accepted: &'static str,
    pub decision_documents: &'static str,
    pub decision_rejected: &'static str,
    pub submission_way: &'static str,
    pub submission_on_behalf: &'static str,
    pub child: &'static str,
    pub child_iin: &'static str,
    pub birth_date: &'static str,
    pub applicant: &'static str,
    pub applicant_iin: &'static str,
    pub phone: &'static str,
    pub class: &'static str,
    pub language: &'static str,
    pub decided_at: &'static str,
    pub submitted_at: &'static str,
    pub clerk_decided: &'static str,
    pub clerk_registered: &'static str,
    pub clerk_iin: &'static str,
    pub reason: &'static str,
    pub reason_text: &'static str,
    pub documents_received: &'static str,
    pub documents_attached: &'static str,
    pub documents_presented: &'static str,
    pub no_documents: &'static str,
    pub right_to_apply_again: &'static str,
    pub clerk_signature: &'static str,
    pub applicant_signature: &'static str,
    pub signature_hint: &'static str,
    pub verify_caption: &'static str,
    pub unsigned_caption: &'static str,
    pub page: &'static str,
}

const KK: Words = Words {
    acceptance_title: "Мектепке қабылдау туралы қолхат",
    documents_title: "Құжаттарды қабылдау туралы қолхат",
    rejection_title: "Қабылдаудан дәлелді бас тарту",
    provisional_banner: "УАҚЫТША ҚҰЖАТ",
    number: "Өтініш нөмірі",
    decision: "Шешім",
    status: "Мәртебесі",
    decision_accepted: "Мектепке қабылданды",
    decision_documents: "Құжаттар қабылданды, өтініш тіркелді",
    decision_rejected: "Қабылдаудан бас тартылды",
    submission_way: "Тапсыру тәсілі",
    submission_on_behalf: "Өтініш берушінің атынан мектеп қызметкері тапсырды",
    child: "Бала",
    child_iin: "Баланың ЖСН",
    birth_date: "Туған күні",
    applicant: "Өтініш беруші",
    applicant_iin: "Өтініш берушінің ЖСН",
    phone: "Телефон",
    class: "Сынып",
    language: "Оқыту тілі",
    decided_at: "Шешім қабылданған күні мен уақыты",
    submitted_at: "Тапсырылған күні мен уақыты",
    clerk_decided: "Шешім қабылдаған қызметкер",
    clerk_registered: "Өтінішті тіркеген қызметкер",
    clerk_iin: "Қызметкердің ЖСН",
    reason: "Бас тарту себебі",
    reason_text: "Түсіндірме",
    documents_received: "Қабылданған құжаттар",
    documents_attached: "Қоса берілген құжаттар",
    documents_presented: "Ұсынылған құжаттар",
    no_documents: "Құжаттар ұсынылмаған",
    right_to_apply_again: "Бас тарту себебін жойғаннан кейін өтінішті қайтадан беруге құқығыңыз бар.",
    clerk_signature: "Қызметкер",
    applicant_signature: "Алдым (өтініш беруші)",
    signature_hint: "қолы",
    verify_caption: "Түпнұсқалығын тексеру: QR-кодты сканерлеңіз немесе жолды енгізіңіз",
    unsigned_caption: "Басып шығарылған кезде шешімге ЭЦҚ әлі қойылмаған.",
    page: "бет",
};

const RU: Words = Words {
    acceptance_title: "Расписка о приёме в школу",
    documents_title: "Расписка о приёме документов",
    rejection_title: "Мотивированный отказ в приёме",
    provisional_banner: "ПРЕДВАРИТЕЛЬНЫЙ ДОКУМЕНТ",
    number: "Номер заявления",
    decision: "Решение",
    status: "Статус",
    decision_accepted: "Принят в школу",
    decision_documents: "Документы приняты, заявление зарегистрировано",
    decision_rejected: "Отказано в приёме",
    submission_way: "Способ подачи",
    submission_on_behalf: "Подано сотрудником школы от имени заявителя",
    child: "Ребёнок",
    child_iin: "ИИН ребёнка",
    birth_date: "Дата рождения",
    applicant: "Заявитель",
    applicant_iin: "ИИН заявителя",
    phone: "Телефон",
    class: "Класс",
    language: "Язык обучения",
    decided_at: "Дата и время решения",
    submitted_at: "Дата и время подачи",
    clerk_decided: "Сотрудник, принявший решение",
    clerk_registered: "Сотрудник, зарегистрировавший заявление",
    clerk_iin: "ИИН сотрудника",
    reason: "Причина отказа",
    reason_text: "Пояснение",
    documents_received: "Принятые документы",
    documents_attached: "Приложенные документы",
    documents_presented: "Представленные документы",
    no_documents: "Документы не представлены",
    right_to_apply_again: "Вы вправе подать заявление повторно после устранения причины отказа.",
    clerk_signature: "Сотрудник",
    applicant_signature: "Получил (заявитель)",
    signature_hint: "подпись",
    verify_caption: "Проверка подлинности: отсканируйте QR-код или введите строку",
    unsigned_caption: "На момент печати решение ещё не подписано ЭЦП.",
    page: "стр.",
};

pub(crate) fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Kk => &KK,
        Lang::Ru => &RU,
    }
}

/// the reminder on the acceptance receipt.
pub(crate) fn originals_reminder(lang: Lang, deadline: Date) -> String {
    match lang {
        Lang::Kk => format!(
            "Құжаттардың түпнұсқаларын {} жылғы {} {} дейін мектепке әкелу қажет.",
            deadline.year(),
            deadline.day(),
            month_kk_dative(deadline.month())
        ),
        Lang::Ru => format!(
            "Оригиналы документов необходимо принести в школу до {} {} {} года.",
            deadline.day(),
            month_ru_genitive(deadline.month()),
            deadline.year()
        ),
    }
}

/// what the document receipt tells the parent.
pub(crate) fn registered_notice(lang: Lang, number: &ApplicationNumber) -> String {
    match lang {
        Lang::Kk => format!(
            "Өтініш {number} нөмірімен тіркелді. Шешім туралы хабарлама өтініште көрсетілген телефонға және электрондық поштаға жіберіледі."
        ),
        Lang::Ru => format!(
            "Заявление зарегистрировано под номером {number}. Уведомление о решении придёт на телефон и электронную почту, указанные в заявлении."
        ),
    }
}

/// why the document is provisional and what number it carries.
pub(crate) fn provisional_notice(lang: Lang, number: &ApplicationNumber) -> String {
    match lang {
        Lang::Kk => format!(
            "Портал өтінішті әлі растамаған кезде басып шығарылды. Жергілікті нөмір: {number}. Портал растағаннан кейін тұрақты нөмір беріледі және құжат қайта басып шығарылады."
        ),
        Lang::Ru => format!(
            "Напечатан до подтверждения заявления порталом. Локальный номер: {number}. После подтверждения порталом будет присвоен постоянный номер и документ будет перепечатан."
        ),
    }
}

pub(crate) fn date(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
}

pub(crate) fn date_time(t: OffsetDateTime) -> String {
    format!("{} {:02}:{:02}", date(t.date()), t.hour(), t.minute())
}

fn month_ru_genitive(m: Month) -> &'static str {
    match m {
        Month::January => "января",
        Month::February => "февраля",
        Month::March => "марта",
        Month::April => "апреля",
        Month::May => "мая",
        Month::June => "июня",
        Month::July => "июля",
        Month::August => "августа",
        Month::September => "сентября",
        Month::October => "октября",
        Month::November => "ноября",
        Month::December => "декабря",
    }
}

/// Kazakh month names in the dative case, as "… дейін" ("until …") needs.
fn month_kk_dative(m: Month) -> &'static str {
    match m {
        Month::January => "қаңтарға",
        Month::February => "ақпанға",
        Month::March => "наурызға",
        Month::April => "сәуірге",
        Month::May => "мамырға",
        Month::June => "маусымға",
        Month::July => "шілдеге",
        Month::August => "тамызға",
        Month::September => "қыркүйекке",
        Month::October => "қазанға",
        Month::November => "қарашаға",
        Month::December => "желтоқсанға",
    }
}
