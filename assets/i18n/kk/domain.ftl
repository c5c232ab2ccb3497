# Texts of crates/domain (issue 17): ids are the stable codes and keys the code keeps.

## Domain errors by their stable code (crates/domain/src/error.rs, R-36): what happened and what to do.
IIN_LENGTH = ЖСН 12 цифрдан тұруы керек.
IIN_NOT_DIGITS = ЖСН тек цифрлардан тұруы керек.
IIN_DATE = ЖСН-дағы туған күн (алғашқы 6 цифр, ЖЖААКК) жарамсыз.
IIN_CENTURY = ЖСН-ның 7-цифры (ғасыр мен жыныс) 1-ден 6-ға дейін болуы керек.
IIN_CHECK_DIGIT = ЖСН-ның бақылау цифры сәйкес келмейді: нөмірді тексеріңіз.
PHONE_INVALID = Ұялы телефон нөмірі +7 7XX XXX XX XX түрінде болуы керек.
EMAIL_INVALID = Электрондық пошта мекенжайы жарамсыз (мысалы: ata.ana@mail.kz).
NAME_EMPTY = Атын толтырыңыз.
NAME_INVALID = Аты-жөнінде тек әріптер, сызықша, бос орын және апостроф болуы мүмкін.
NAME_TOO_LONG = Аты-жөні тым ұзын (100 таңбадан аспауы керек).
APPLICATION_NUMBER_INVALID = Өтініш нөмірі жарамсыз.
GRADE_INVALID = Сынып 0-ден 11-ге дейін болуы керек.
INSTRUCTION_LANGUAGE_INVALID = Оқыту тілі: қазақ немесе орыс.
STATUS_INVALID = Белгісіз өтініш мәртебесі.
TRANSITION_NOT_ALLOWED = Өтініштің қазіргі мәртебесінде бұл әрекет мүмкін емес.
REJECT_REASON_UNKNOWN = Бас тарту себебін тізімнен таңдаңыз.
REJECT_REASON_TEXT_REQUIRED = «Басқа» себебі үшін түсіндірме жазыңыз.
PENDING_APPLICATION_EXISTS = Бұл балаға өтініш берілген және қаралуда: екінші өтініш беруге болмайды.
CHILD_ALREADY_ACCEPTED = Бала мектепке қабылданған: жаңа өтініш беру үшін алдымен бұрынғысын қайтарып алу керек.
DOCUMENT_TOO_LARGE = Файл көлемі 1 МБ-тан аспауы керек: суретті кішірейтіп, қайта жүктеңіз.
DOCUMENT_EMPTY = Файл бос: басқа файлды таңдаңыз.
DOCUMENT_MISSING = Міндетті құжат жүктелмеген: баланың суреті мен медициналық анықтаманы қосыңыз.
CHILD_TOO_YOUNG = Бала қабылдау жылында 6 жасқа толмайды.
CHILD_OLDER_THAN_USUAL = Бала қабылдау жылында 6 жастан үлкен: себебін тексеріңіз.
OUTSIDE_ADMISSION_PERIOD = Өтініштер 1 сәуірден 31 тамызға дейін қабылданады.
CONSENT_MISSING = Қабылдау қағидаларымен, портал шарттарымен және дербес деректерді өңдеуге келісім қажет.
MICRO_DISTRICT_MISSING = Тіркелген мекенжай ешбір микротелімге жатпайды: мекенжайды микротелімге біріктіріңіз.
TEMPORARY_REGISTRATION_INVALID = Уақытша тіркеу мекенжайы мен мерзімін толтырыңыз (басталуы аяқталуынан бұрын).
DATE_INVALID = Күнді КК.АА.ЖЖЖЖ түрінде жазыңыз, мысалы 01.09.2026.
RESPONSIBILITY_NOT_CONFIRMED = Баланың деректерін өзгерту және мекенжайды микротелімге біріктіру үшін жауапкершілікті растаңыз.
DOCUMENT_READABILITY_UNCHECKED = Сурет 1 МБ-қа сыятындай кішірейтілді: оның оқылатынын қарап, «Оқылады» батырмасын басыңыз немесе басқа файл таңдаңыз.
NOTIFICATION_CHANNEL_MISSING = Хабарлама қалай жіберілетінін таңдаңыз: SMS немесе e-mail.
NOTIFICATION_EMAIL_MISSING = Хабарламалар e-mail арқылы жіберілсе, 1-қадамда e-mail енгізіңіз немесе SMS таңдаңыз.

## The detail after an error's text.
IIN_LENGTH-typed = Енгізілгені: { $got }.
DOCUMENT_TOO_LARGE-size = Файл көлемі: { $size }.

## Statuses of an application (R-5).
status-new = Жаңа
status-under_review = Қаралуда
status-accepted = Қабылданды
status-rejected = Бас тартылды
status-withdrawn = Қайтарып алынды

## Reasons for a rejection (R-7).
reject-reason-incomplete_documents = Құжаттар топтамасы толық емес
reject-reason-unreadable_documents = Құжаттар анық емес немесе дәйексіз
reject-reason-no_free_places = Бос орын жоқ
reject-reason-outside_micro_district = Негізсіз микротелімнен тыс
reject-reason-age = Баланың жасы сәйкес келмейді
reject-reason-no_consent = Келісім берілмеген
reject-reason-other = Басқа

## Languages of instruction (R-10).
instruction-language-kk = қазақ тілі
instruction-language-ru = орыс тілі

## Kinds of documents (R-23).
document-kind-photo = Баланың суреті
document-kind-medical_certificate = Денсаулық паспорты / медициналық анықтама
document-kind-birth_certificate = Туу туралы куәлік
document-kind-application_form = Өтініш
document-kind-acceptance_receipt = Қабылдау туралы қолхат
document-kind-document_receipt = Құжаттарды қабылдау туралы қолхат
document-kind-rejection_notice = Дәлелді бас тарту
document-kind-signature = ЭЦҚ қолтаңбасы
document-kind-other = Басқа құжат
