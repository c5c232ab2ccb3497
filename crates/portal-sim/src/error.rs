//! The one error type of portal-sim: every refusal has an HTTP status, a stable wire code
//! (`portal_api::codes`) and a text in Kazakh and Russian; it leaves as problem+json.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::Lang;
use portal_api::{Application, Messages, PROBLEM_JSON, Problem, RegisterAddress, codes};

#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    #[error("request body is not JSON: {0}")]
    MalformedJson(String),
    #[error("unknown field in request: {0}")]
    UnknownField(String),
    #[error("invalid field: {0}")]
    InvalidField(String),
    #[error("a domain rule refused the request: {0}")]
    Domain(#[from] portal_api::convert::Error),
    #[error("request body over the limit")]
    BodyTooLarge,
    #[error("Idempotency-Key header missing")]
    IdempotencyKeyMissing,
    #[error("Idempotency-Key reused with a different request")]
    IdempotencyKeyReused,
    #[error("no bearer token")]
    TokenMissing,
    #[error("unknown token")]
    TokenInvalid,
    #[error("token expired")]
    TokenExpired,
    #[error("wrong IIN or password")]
    CredentialsInvalid,
    #[error("too many wrong passwords: the account is locked for {minutes} min")]
    AccountLocked { minutes: i64 },
    #[error("the staff account was revoked")]
    AccountRevoked,
    #[error("EDS sign-in challenge unknown, used or expired")]
    ChallengeInvalid,
    #[error("certificate owner {0} is not a staff member")]
    SignerUnknown(String),
    #[error("the staff member does not belong to school {0}")]
    ForbiddenSchool(String),
    #[error("admin endpoints answer loopback clients only")]
    AdminLoopbackOnly,
    #[error("not found: {0}")]
    NotFound(String),
    #[error("version conflict")]
    VersionConflict {
        current: Box<Option<Application>>,
        current_address: Box<Option<RegisterAddress>>,
    },
    #[error("transition not allowed from {status}")]
    TransitionNotAllowed {
        status: String,
        current: Box<Application>,
    },
    #[error("no free places")]
    NoFreePlaces,
    #[error("the child has a pending application")]
    PendingApplicationExists { current: Box<Application> },
    #[error("the child is already accepted")]
    ChildAlreadyAccepted { current: Box<Application> },
    #[error("signature invalid: {0}")]
    SignatureInvalid(String),
    #[error("signature does not verify: {0}")]
    SignatureNotVerified(signing::Error),
    #[error("signer's certificate not trusted: {0}")]
    SignatureUntrusted(signing::Error),
    #[error("certificate refused: {0}")]
    CertificateRefused(signing::Error),
    #[error("a signing key (not an authentication key) was used to sign in")]
    NotAnAuthenticationKey,
    #[error("signer is not the signed-in staff member")]
    SignerMismatch,
    #[error("certificate revoked: {0}")]
    CertificateRevoked(signing::Error),
    #[error("certificate of organisation BIN {certificate} signs for the school of BIN {school}")]
    OrganisationMismatch { certificate: String, school: String },
    #[error("signing time {0} is more than 5 minutes ahead of the portal's clock")]
    SigningTimeSkew(String),
    #[error("revocation could not be checked: {0}")]
    RevocationUnavailable(signing::Error),
    #[error("document over 1 MB")]
    DocumentTooLarge,
    #[error("mandatory document missing: {0}")]
    DocumentMissing(String),
    #[error("registered address in no micro-district")]
    MicroDistrictMissing,
    #[error("contact not confirmed: {0}")]
    ContactNotConfirmed(String),
    #[error("the address is bound to another micro-district")]
    AddressBoundElsewhere {
        current_address: Box<RegisterAddress>,
    },
    #[error("consent missing")]
    ConsentMissing,
    #[error("person not in the population register")]
    PersonNotFound,
    #[error("child's age does not fit")]
    ChildAge,
    #[error("confirmation code incorrect")]
    CodeIncorrect,
    #[error("confirmation code expired")]
    CodeExpired,
    #[error("too many attempts")]
    CodeAttemptsExceeded,
    #[error("internal: {0}")]
    Internal(String),
    #[error("injected fault")]
    InjectedFault,
    #[error("outage")]
    Outage,
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Internal(e.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Internal(e.to_string())
    }
}

impl Error {
    pub fn code(&self) -> &'static str {
        use Error::*;
        match self {
            MalformedJson(_) => codes::MALFORMED_JSON,
            UnknownField(_) => codes::UNKNOWN_FIELD,
            InvalidField(_) => codes::INVALID_FIELD,
            Domain(e) => e.code(),
            BodyTooLarge => codes::BODY_TOO_LARGE,
            IdempotencyKeyMissing => codes::IDEMPOTENCY_KEY_MISSING,
            IdempotencyKeyReused => codes::IDEMPOTENCY_KEY_REUSED,
            TokenMissing => codes::TOKEN_MISSING,
            TokenInvalid => codes::TOKEN_INVALID,
            TokenExpired => codes::TOKEN_EXPIRED,
            CredentialsInvalid => codes::CREDENTIALS_INVALID,
            ChallengeInvalid => codes::CHALLENGE_INVALID,
            AccountLocked { .. } => codes::ACCOUNT_LOCKED,
            AccountRevoked => codes::ACCOUNT_REVOKED,
            SignerUnknown(_) => codes::SIGNER_UNKNOWN,
            ForbiddenSchool(_) => codes::FORBIDDEN_SCHOOL,
            AdminLoopbackOnly => codes::ADMIN_LOOPBACK_ONLY,
            NotFound(_) => codes::NOT_FOUND,
            VersionConflict { .. } => codes::VERSION_CONFLICT,
            TransitionNotAllowed { .. } => codes::TRANSITION_NOT_ALLOWED,
            NoFreePlaces => codes::NO_FREE_PLACES,
            PendingApplicationExists { .. } => codes::PENDING_APPLICATION_EXISTS,
            ChildAlreadyAccepted { .. } => codes::CHILD_ALREADY_ACCEPTED,
            SignatureInvalid(_) | SignatureNotVerified(_) => codes::SIGNATURE_INVALID,
            SignatureUntrusted(_) => codes::SIGNATURE_UNTRUSTED,
            CertificateRefused(_) | NotAnAuthenticationKey => codes::CERTIFICATE_REFUSED,
            SignerMismatch => codes::SIGNER_MISMATCH,
            CertificateRevoked(_) => codes::CERTIFICATE_REVOKED,
            OrganisationMismatch { .. } => codes::ORGANISATION_MISMATCH,
            SigningTimeSkew(_) => codes::SIGNING_TIME_SKEW,
            RevocationUnavailable(_) => codes::REVOCATION_UNAVAILABLE,
            DocumentTooLarge => codes::DOCUMENT_TOO_LARGE,
            DocumentMissing(_) => codes::DOCUMENT_MISSING,
            MicroDistrictMissing => codes::MICRO_DISTRICT_MISSING,
            AddressBoundElsewhere { .. } => codes::ADDRESS_BOUND_ELSEWHERE,
            ContactNotConfirmed(_) => codes::CONTACT_NOT_CONFIRMED,
            ConsentMissing => codes::CONSENT_MISSING,
            PersonNotFound => codes::PERSON_NOT_FOUND,
            ChildAge => codes::CHILD_AGE,
            CodeIncorrect => codes::CODE_INCORRECT,
            CodeExpired => codes::CODE_EXPIRED,
            CodeAttemptsExceeded => codes::CODE_ATTEMPTS_EXCEEDED,
            Internal(_) => codes::INTERNAL,
            InjectedFault => codes::INJECTED_FAULT,
            Outage => codes::OUTAGE,
        }
    }

    pub fn status(&self) -> StatusCode {
        use Error::*;
        match self {
            MalformedJson(_) => StatusCode::BAD_REQUEST,
            BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            TokenMissing | TokenInvalid | TokenExpired | CredentialsInvalid | ChallengeInvalid
            | SignerUnknown(_) => StatusCode::UNAUTHORIZED,
            ForbiddenSchool(_)
            | AccountLocked { .. }
            | AccountRevoked
            | AdminLoopbackOnly
            | SignerMismatch
            | OrganisationMismatch { .. } => StatusCode::FORBIDDEN,
            NotFound(_) | PersonNotFound => StatusCode::NOT_FOUND,
            VersionConflict { .. }
            | AddressBoundElsewhere { .. }
            | TransitionNotAllowed { .. }
            | NoFreePlaces
            | PendingApplicationExists { .. }
            | ChildAlreadyAccepted { .. } => StatusCode::CONFLICT,
            CodeExpired => StatusCode::GONE,
            CodeAttemptsExceeded => StatusCode::TOO_MANY_REQUESTS,
            Internal(_) | InjectedFault => StatusCode::INTERNAL_SERVER_ERROR,
            Outage | RevocationUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            UnknownField(_)
            | InvalidField(_)
            | Domain(_)
            | IdempotencyKeyMissing
            | IdempotencyKeyReused
            | SignatureInvalid(_)
            | SignatureNotVerified(_)
            | SignatureUntrusted(_)
            | CertificateRefused(_)
            | CertificateRevoked(_)
            | SigningTimeSkew(_)
            | NotAnAuthenticationKey
            | DocumentTooLarge
            | DocumentMissing(_)
            | MicroDistrictMissing
            | ContactNotConfirmed(_)
            | ConsentMissing
            | ChildAge
            | CodeIncorrect => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// What happened and what to do, for the clerk.
    pub fn message(&self, lang: Lang) -> String {
        use Error::*;
        let kk = matches!(lang, Lang::Kk);
        let t = |k: &str, r: &str| if kk { k.to_string() } else { r.to_string() };
        match self {
            MalformedJson(d) => t(
                &format!(
                    "Сұраныс JSON емес ({d}): бағдарламаны жаңартыңыз немесе әкімшіге хабарлаңыз."
                ),
                &format!(
                    "Запрос не является JSON ({d}): обновите программу или сообщите администратору."
                ),
            ),
            UnknownField(d) => t(
                &format!(
                    "Сұраныста белгісіз өріс бар ({d}): бағдарлама нұсқасы порталға сәйкес емес."
                ),
                &format!(
                    "В запросе неизвестное поле ({d}): версия программы не совпадает с порталом."
                ),
            ),
            InvalidField(d) => t(
                &format!("Өріс дұрыс толтырылмаған: {d}. Түзетіп, қайта жіберіңіз."),
                &format!("Поле заполнено неверно: {d}. Исправьте и отправьте снова."),
            ),
            Domain(e) => e.message(lang),
            BodyTooLarge => t(
                "Сұраныс тым үлкен: файлдарды кішірейтіп, қайта жіберіңіз.",
                "Запрос слишком большой: уменьшите файлы и отправьте снова.",
            ),
            IdempotencyKeyMissing => t(
                "Сұраныста Idempotency-Key тақырыбы жоқ: бағдарламаны жаңартыңыз.",
                "В запросе нет заголовка Idempotency-Key: обновите программу.",
            ),
            IdempotencyKeyReused => t(
                "Бұл Idempotency-Key басқа сұранысқа қолданылған: әрекетті жаңа кілтпен жіберіңіз.",
                "Этот Idempotency-Key уже использован для другого запроса: отправьте действие с новым ключом.",
            ),
            TokenMissing => t("Жүйеге кіріңіз.", "Войдите в систему."),
            TokenInvalid => t(
                "Сессия танылмады: жүйеге қайта кіріңіз.",
                "Сессия не распознана: войдите снова.",
            ),
            TokenExpired => t(
                "Сессия мерзімі өтті: жүйеге қайта кіріңіз.",
                "Сессия истекла: войдите снова.",
            ),
            CredentialsInvalid => t(
                "ЖСН немесе құпиясөз қате: тексеріп, қайта енгізіңіз.",
                "Неверный ИИН или пароль: проверьте и введите снова.",
            ),
            AccountLocked { minutes } => t(
                &format!(
                    "Құпиясөз тым көп рет қате енгізілді: есептік жазба {minutes} минутқа бұғатталды. Кейін қайталаңыз немесе ЭЦҚ арқылы кіріңіз."
                ),
                &format!(
                    "Слишком много неверных паролей: учётная запись заблокирована на {minutes} мин. Повторите позже или войдите с ЭЦП."
                ),
            ),
            AccountRevoked => t(
                "Порталдағы есептік жазбаңыз өшірілген (кіру құқығы алынды). Мектеп әкімшісіне хабарласыңыз: осы компьютердегі күтіп тұрған жазбалар сақталады.",
                "Ваша учётная запись на портале отключена (доступ отозван). Обратитесь к администратору школы: ожидающие записи на этом компьютере сохранятся.",
            ),
            ChallengeInvalid => t(
                "ЭЦҚ арқылы кіру сұрауы белгісіз, қолданылған немесе мерзімі өткен: жаңа сұрау алып, қайта қол қойыңыз.",
                "Запрос на вход по ЭЦП неизвестен, уже использован или истёк: получите новый и подпишите снова.",
            ),
            SignerUnknown(iin) => t(
                &format!(
                    "Сертификат иесі ({iin}) порталдың қызметкері ретінде тіркелмеген: өз кілтіңізді таңдаңыз немесе ЖСН мен құпиясөз арқылы кіріңіз."
                ),
                &format!(
                    "Владелец сертификата ({iin}) не зарегистрирован как сотрудник портала: выберите свой ключ или войдите по ИИН и паролю."
                ),
            ),
            ForbiddenSchool(s) => t(
                &format!(
                    "Сіз {s} мектебінің қызметкері емессіз: өз мектебіңіздің өтініштерін ашыңыз."
                ),
                &format!("Вы не сотрудник школы {s}: откройте заявления своей школы."),
            ),
            AdminLoopbackOnly => t(
                "Әкімшілік әрекеттер тек осы компьютерден қолжетімді.",
                "Административные действия доступны только с этого компьютера.",
            ),
            NotFound(what) => t(
                &format!("Табылмады: {what}."),
                &format!("Не найдено: {what}."),
            ),
            VersionConflict { .. } => t(
                "Өтініш порталда өзгерген: жаңа нұсқасын қарап, шешімді қайта қабылдаңыз.",
                "Заявление изменилось на портале: просмотрите новую версию и примите решение снова.",
            ),
            TransitionNotAllowed { status, .. } => t(
                &format!(
                    "Өтініш күйі «{status}»: бұл әрекетті енді орындауға болмайды (мысалы, ата-ана қайтарып алған)."
                ),
                &format!(
                    "Статус заявления «{status}»: это действие больше невозможно (например, родитель отозвал заявление)."
                ),
            ),
            NoFreePlaces => t(
                "Бұл сынып пен оқыту тілі бойынша бос орын қалмады: басқа мектепті таңдаңыз немесе бас тартыңыз.",
                "Свободных мест по этому классу и языку обучения не осталось: выберите другую школу или откажите.",
            ),
            // where the pending application is.
            PendingApplicationExists { current } => t(
                &format!(
                    "{} Қаралып жатқан өтініш: № {}, мектеп {}.",
                    domain::ErrorCode::PendingApplicationExists.text(Lang::Kk),
                    current.number,
                    current.school_id
                ),
                &format!(
                    "{} Заявление на рассмотрении: № {}, школа {}.",
                    domain::ErrorCode::PendingApplicationExists.text(Lang::Ru),
                    current.number,
                    current.school_id
                ),
            ),
            ChildAlreadyAccepted { .. } => domain::ErrorCode::ChildAlreadyAccepted
                .text(lang)
                .to_string(),
            SignatureInvalid(d) => t(
                &format!("ЭЦҚ қолтаңбасы жарамсыз ({d}): құжатқа қайта қол қойыңыз."),
                &format!("Подпись ЭЦП недействительна ({d}): подпишите снова."),
            ),
            SignatureNotVerified(e) => t(
                &format!(
                    "Портал ЭЦҚ қолтаңбасын тексере алмады: {} Шешімге қайта қол қойыңыз.",
                    e.message(Lang::Kk)
                ),
                &format!(
                    "Портал не смог проверить подпись ЭЦП: {} Подпишите решение снова.",
                    e.message(Lang::Ru)
                ),
            ),
            SignatureUntrusted(e) => t(
                &format!(
                    "Портал бұл куәландырушы орталыққа сенбейді: {} ҰКО берген кілтпен қол қойыңыз.",
                    e.message(Lang::Kk)
                ),
                &format!(
                    "Портал не доверяет этому удостоверяющему центру: {} Подпишите ключом, выданным НУЦ.",
                    e.message(Lang::Ru)
                ),
            ),
            CertificateRefused(e) => t(
                &format!("Портал сертификатты қабылдамады: {}", e.message(Lang::Kk)),
                &format!("Портал не принял сертификат: {}", e.message(Lang::Ru)),
            ),
            NotAnAuthenticationKey => t(
                "Портал сертификатты қабылдамады: жүйеге кіру үшін аутентификация кілтін (AUTH_RSA_*.p12) таңдаңыз, қол қою кілтін емес.",
                "Портал не принял сертификат: для входа выберите ключ аутентификации (AUTH_RSA_*.p12), а не ключ подписи.",
            ),
            SignerMismatch => t(
                "Қолтаңба жүйеге кірген қызметкердің ЭЦҚ-сымен қойылмаған: өз кілтіңізбен қол қойыңыз.",
                "Подпись сделана не ЭЦП вошедшего сотрудника: подпишите своим ключом.",
            ),
            CertificateRevoked(e) => t(
                &format!("Портал сертификатты қабылдамады: {}", e.message(Lang::Kk)),
                &format!("Портал не принял сертификат: {}", e.message(Lang::Ru)),
            ),
            OrganisationMismatch {
                certificate,
                school,
            } => t(
                &format!(
                    "Қолтаңба басқа ұйымның сертификатымен қойылған (БСН {certificate}, мектептің БСН-ы {school}): мектептің қызметкері ретінде берілген кілтпен қол қойыңыз."
                ),
                &format!(
                    "Подпись сделана сертификатом другой организации (БИН {certificate}, БИН школы {school}): подпишите ключом сотрудника этой школы."
                ),
            ),
            SigningTimeSkew(at) => t(
                &format!(
                    "Қол қою уақыты ({at}) порталдың сағатынан 5 минуттан артық алда: компьютердің күні мен уақытын тексеріп, қайта қол қойыңыз."
                ),
                &format!(
                    "Время подписи ({at}) опережает часы портала более чем на 5 минут: проверьте дату и время на компьютере и подпишите снова."
                ),
            ),
            RevocationUnavailable(_) => t(
                "Портал сертификаттың кері қайтарылуын әзірге тексере алмады: жазба кезекте қалады және кейінірек жіберіледі.",
                "Портал пока не смог проверить отзыв сертификата: запись остаётся в очереди и будет отправлена позже.",
            ),
            DocumentTooLarge => domain::ErrorCode::DocumentTooLarge.text(lang).to_string(),
            DocumentMissing(kind) => t(
                &format!("Міндетті құжат тіркелмеген: {kind}. Файлды жүктеңіз."),
                &format!("Не приложен обязательный документ: {kind}. Загрузите файл."),
            ),
            MicroDistrictMissing => domain::ErrorCode::MicroDistrictMissing
                .text(lang)
                .to_string(),
            ContactNotConfirmed(contact) => t(
                &format!(
                    "Байланыс ({contact}) расталмаған: кодты қайта жіберіп, ата-ана айтқан кодты енгізіңіз."
                ),
                &format!(
                    "Контакт ({contact}) не подтверждён: отправьте код снова и введите код, который назовёт родитель."
                ),
            ),
            AddressBoundElsewhere { current_address } => {
                let md = current_address
                    .micro_district_id
                    .clone()
                    .unwrap_or_default();
                t(
                    &format!(
                        "Мекенжай ({}) порталда басқа микротелімге ({md}) біріктірілген: баланың деректерін тексеріп, дұрыс микротелімді таңдаңыз немесе уақытша тіркеуді көрсетіңіз.",
                        current_address.full_kk
                    ),
                    &format!(
                        "Адрес ({}) на портале уже привязан к другому микроучастку ({md}): проверьте данные ребёнка, выберите верный микроучасток или укажите временную регистрацию.",
                        current_address.full_ru
                    ),
                )
            }
            ConsentMissing => domain::ErrorCode::ConsentMissing.text(lang).to_string(),
            PersonNotFound => t(
                "ЖСН халық тізілімінде табылмады: нөмірді тексеріңіз.",
                "ИИН не найден в регистре населения: проверьте номер.",
            ),
            ChildAge => domain::ErrorCode::ChildTooYoung.text(lang).to_string(),
            CodeIncorrect => t(
                "Растау коды қате: қайта енгізіңіз.",
                "Неверный код подтверждения: введите снова.",
            ),
            CodeExpired => t(
                "Растау кодының мерзімі өтті: жаңа код сұраңыз.",
                "Срок кода подтверждения истёк: запросите новый код.",
            ),
            CodeAttemptsExceeded => t(
                "Қате әрекеттер тым көп: жаңа код сұраңыз.",
                "Слишком много неверных попыток: запросите новый код.",
            ),
            Internal(_) | InjectedFault => t(
                "Порталда ішкі қате: әрекет кейінірек автоматты түрде қайталанады.",
                "Внутренняя ошибка портала: действие будет повторено автоматически позже.",
            ),
            Outage => t(
                "Портал уақытша қолжетімсіз: әрекеттер кезекте сақталып, кейін жіберіледі.",
                "Портал временно недоступен: действия сохранены в очереди и будут отправлены позже.",
            ),
        }
    }

    pub fn problem(&self, lang: Lang) -> Problem {
        let status = self.status();
        let (current, current_address) = match self {
            Error::VersionConflict {
                current,
                current_address,
            } => ((**current).clone(), (**current_address).clone()),
            Error::TransitionNotAllowed { current, .. }
            | Error::PendingApplicationExists { current }
            | Error::ChildAlreadyAccepted { current } => (Some((**current).clone()), None),
            Error::AddressBoundElsewhere { current_address } => {
                (None, Some((**current_address).clone()))
            }
            _ => (None, None),
        };
        Problem {
            type_: format!("urn:qabyldau:problem:{}", self.code().to_ascii_lowercase()),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            code: self.code().to_string(),
            detail: self.message(lang),
            messages: Messages {
                kk: self.message(Lang::Kk),
                ru: self.message(Lang::Ru),
            },
            current,
            current_address,
        }
    }

    pub fn into_stored(self) -> (StatusCode, String) {
        let body = serde_json::to_string(&self.problem(Lang::Kk)).unwrap_or_default();
        (self.status(), body)
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, body) = self.into_stored();
        (
            status,
            [(axum::http::header::CONTENT_TYPE, PROBLEM_JSON)],
            body,
        )
            .into_response()
    }
}
