use domain::Lang;
use portal_api::Problem;
use std::time::Duration;

/// How the worker treats an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// Try again later, with backoff: no connection, a timeout, a lost answer, 5xx, 408,
    /// 425, 429, a gateway's answer that is not the portal's, a 2xx that cannot be read.
    Transient,
    /// The portal said no for good (409, 422, …): the entry is refused, its message shown.
    Refused,
    /// 401: stop pushing until the clerk signs in again; nothing is lost.
    SignIn,
    /// Something here is wrong (the database, the configuration, an unreadable answer).
    Local,
}

/// Every error of the sync engine, each with a stable code the UI turns into kk/ru text.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the portal address {url:?} is not an http(s) URL")]
    BadUrl { url: String },
    #[error("the portal address {url:?} is plain http: only https, except on this machine")]
    InsecureUrl { url: String },
    #[error("the proxy setting {proxy:?} is not a proxy URL")]
    BadProxy { proxy: String },
    #[error("the portal cannot be reached: {detail}")]
    Unreachable { detail: String },
    #[error("the portal did not answer in time")]
    Timeout,
    #[error("the connection broke before the portal's answer arrived: {detail}")]
    ConnectionLost { detail: String },
    #[error("the portal is unavailable (HTTP {status}, {code})")]
    Unavailable {
        status: u16,
        code: String,
        retry_after: Option<Duration>,
    },
    #[error("the portal asks to slow down (HTTP 429)")]
    Busy { retry_after: Option<Duration> },
    #[error(
        "an answer on the way to the portal that is not the portal's (HTTP {status}): {detail}"
    )]
    Gateway { status: u16, detail: String },
    #[error("the portal answered HTTP {status} but the answer cannot be read: {detail}")]
    AnswerUnreadable {
        status: u16,
        detail: String,
        body: String,
    },
    #[error("the portal needs a new sign-in ({code})")]
    SignInRequired { code: String },
    #[error("wrong IIN or password")]
    CredentialsInvalid,
    #[error("the portal refused (HTTP {status}, {}): {}", problem.code, problem.detail)]
    Refused {
        status: u16,
        problem: Box<Problem>,
        body: String,
    },
    #[error("unexpected answer from the portal: {detail}")]
    Protocol { detail: String },
    #[error("outbox entry {seq} cannot be sent: {detail}")]
    OutboxEntryInvalid { seq: i64, detail: String },
    #[error(transparent)]
    Store(#[from] store::Error),
}

impl Error {
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadUrl { .. } => "SYNC_BAD_URL",
            Error::InsecureUrl { .. } => "SYNC_INSECURE_URL",
            Error::BadProxy { .. } => "SYNC_BAD_PROXY",
            Error::Gateway { .. } => "PORTAL_GATEWAY",
            Error::AnswerUnreadable { .. } => store::ANSWER_UNREADABLE,
            Error::Unreachable { .. } => "PORTAL_UNREACHABLE",
            Error::Timeout => "PORTAL_TIMEOUT",
            Error::ConnectionLost { .. } => "PORTAL_CONNECTION_LOST",
            Error::Unavailable { .. } => "PORTAL_UNAVAILABLE",
            Error::Busy { .. } => "PORTAL_BUSY",
            Error::SignInRequired { .. } => "SIGN_IN_REQUIRED",
            Error::CredentialsInvalid => "CREDENTIALS_INVALID",
            Error::Refused { .. } => "PORTAL_REFUSED",
            Error::Protocol { .. } => "PORTAL_PROTOCOL",
            Error::OutboxEntryInvalid { .. } => "OUTBOX_ENTRY_INVALID",
            Error::Store(e) => e.code(),
        }
    }

    pub fn class(&self) -> ErrorClass {
        match self {
            Error::Unreachable { .. }
            | Error::Timeout
            | Error::ConnectionLost { .. }
            | Error::Unavailable { .. }
            | Error::Busy { .. }
            | Error::Gateway { .. }
            | Error::AnswerUnreadable { .. } => ErrorClass::Transient,
            Error::Refused { .. } | Error::OutboxEntryInvalid { .. } => ErrorClass::Refused,
            Error::SignInRequired { .. } | Error::CredentialsInvalid => ErrorClass::SignIn,
            Error::BadUrl { .. }
            | Error::InsecureUrl { .. }
            | Error::BadProxy { .. }
            | Error::Protocol { .. }
            | Error::Store(_) => ErrorClass::Local,
        }
    }

    pub fn is_transient(&self) -> bool {
        self.class() == ErrorClass::Transient
    }

    /// How long the portal asked us to wait (`Retry-After` of a 429 / 503 / …).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Busy { retry_after } | Error::Unavailable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The portal says it has more work than it can take (429, 503, or any answer with
    /// `Retry-After`): every pause grows to the long cap and the round stops at once.
    pub fn is_overload(&self) -> bool {
        match self {
            Error::Busy { .. } => true,
            Error::Unavailable {
                status,
                retry_after,
                ..
            } => *status == 503 || retry_after.is_some(),
            _ => false,
        }
    }

    /// The portal's problem, for a refusal.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Error::Refused { problem, .. } => Some(problem),
            _ => None,
        }
    }

    /// What happened and what to do, for the clerk. A refusal carries the portal's
    /// own text in both languages.
    pub fn message(&self, lang: Lang) -> String {
        let kk = lang == Lang::Kk;
        let t = |k: &str, r: &str| if kk { k.to_string() } else { r.to_string() };
        match self {
            Error::BadUrl { url } => t(
                &format!(
                    "Портал мекенжайы дұрыс емес ({url}): баптауларда http(s)://… түрінде көрсетіңіз."
                ),
                &format!("Неверный адрес портала ({url}): укажите в настройках в виде http(s)://…"),
            ),
            Error::InsecureUrl { url } => t(
                &format!(
                    "Портал мекенжайы ({url}) шифрланбаған http: тек https://… мекенжайы рұқсат етілген."
                ),
                &format!(
                    "Адрес портала ({url}) — незашифрованный http: разрешён только адрес https://…"
                ),
            ),
            Error::BadProxy { proxy } => t(
                &format!(
                    "Прокси баптауы дұрыс емес ({proxy}): http://хост:порт түрінде көрсетіңіз."
                ),
                &format!("Неверная настройка прокси ({proxy}): укажите в виде http://хост:порт."),
            ),
            Error::Gateway { .. } => t(
                "Портал жолындағы желі құрылғысы (прокси, шлюз) сұранысты өткізбеді. Әрекеттер кезекте сақталады, кейінірек қайта жіберіледі; қайталана берсе, IT маманына хабарлаңыз.",
                "Сетевое устройство на пути к порталу (прокси, шлюз) не пропустило запрос. Действия сохранены в очереди и будут отправлены позже; если это повторяется, сообщите IT-специалисту.",
            ),
            Error::AnswerUnreadable { .. } => t(
                "Портал әрекетті қабылдады, бірақ оның жауабын оқу мүмкін болмады. Өтініштің күйі келесі синхрондауда порталдан алынады.",
                "Портал принял действие, но его ответ не удалось прочитать. Состояние заявления будет получено с портала при следующей синхронизации.",
            ),
            Error::Unreachable { .. } | Error::Timeout | Error::ConnectionLost { .. } => t(
                "Порталмен байланыс жоқ. Жұмысты жалғастыра беріңіз: әрекеттер кезекте сақталады және байланыс қалпына келгенде жіберіледі.",
                "Нет связи с порталом. Продолжайте работу: действия сохранены в очереди и будут отправлены, когда связь восстановится.",
            ),
            Error::Unavailable { .. } | Error::Busy { .. } => t(
                "Портал уақытша қолжетімсіз. Әрекеттер кезекте сақталады, кейінірек өздігінен қайта жіберіледі.",
                "Портал временно недоступен. Действия сохранены в очереди и будут отправлены повторно автоматически.",
            ),
            Error::SignInRequired { .. } => t(
                "Портал сессиясы аяқталды. Қайта кіріңіз: кезектегі әрекеттер сақталған, кіргеннен кейін жіберіледі.",
                "Сеанс на портале завершён. Войдите снова: действия в очереди сохранены и будут отправлены после входа.",
            ),
            Error::CredentialsInvalid => t(
                "ЖСН немесе құпиясөз қате. Тексеріп, қайта енгізіңіз.",
                "Неверный ИИН или пароль. Проверьте и введите снова.",
            ),
            Error::Refused { problem, .. } => {
                if kk {
                    problem.messages.kk.clone()
                } else {
                    problem.messages.ru.clone()
                }
            }
            Error::Protocol { .. } => t(
                "Порталдан түсініксіз жауап келді. Бағдарламаны жаңартыңыз немесе әкімшіге хабарлаңыз.",
                "Портал прислал непонятный ответ. Обновите программу или сообщите администратору.",
            ),
            Error::OutboxEntryInvalid { .. } => t(
                "Кезектегі әрекет зақымдалған, сондықтан жіберілмеді. Өтінішті ашып, шешімді қайта қабылдаңыз.",
                "Действие в очереди повреждено и не отправлено. Откройте заявление и примите решение заново.",
            ),
            Error::Store(e) => t(
                &format!(
                    "Жергілікті журнал қатесі ({}). Әкімшіге хабарласыңыз.",
                    e.code()
                ),
                &format!(
                    "Ошибка локального журнала ({}). Обратитесь к администратору.",
                    e.code()
                ),
            ),
        }
    }
}

/// Turns a transport error of reqwest into ours: nothing here is a refusal.
pub(crate) fn from_transport(e: &reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::Timeout
    } else if e.is_connect() {
        Error::Unreachable {
            detail: e.to_string(),
        }
    } else if e.is_builder() {
        Error::BadUrl {
            url: e.url().map(ToString::to_string).unwrap_or_default(),
        }
    } else if e.is_decode() {
        Error::Protocol {
            detail: e.to_string(),
        }
    } else {
        Error::ConnectionLost {
            detail: e.to_string(),
        }
    }
}
