# Texts of crates/domain (issue 17): ids are the stable codes and keys the code keeps.

## Domain errors by their stable code (crates/domain/src/error.rs, R-36): what happened and what to do.
IIN_LENGTH = ИИН должен состоять из 12 цифр.
IIN_NOT_DIGITS = ИИН должен содержать только цифры.
IIN_DATE = Дата рождения в ИИН (первые 6 цифр, ГГММДД) неверна.
IIN_CENTURY = 7-я цифра ИИН (век и пол) должна быть от 1 до 6.
IIN_CHECK_DIGIT = Контрольная цифра ИИН не сходится: проверьте номер.
PHONE_INVALID = Номер мобильного телефона должен быть вида +7 7XX XXX XX XX.
EMAIL_INVALID = Неверный адрес электронной почты (например: ata.ana@mail.kz).
NAME_EMPTY = Заполните имя.
NAME_INVALID = В ФИО допускаются только буквы, дефис, пробел и апостроф.
NAME_TOO_LONG = ФИО слишком длинное (не более 100 символов).
APPLICATION_NUMBER_INVALID = Неверный номер заявления.
GRADE_INVALID = Класс должен быть от 0 до 11.
INSTRUCTION_LANGUAGE_INVALID = Язык обучения: казахский или русский.
STATUS_INVALID = Неизвестный статус заявления.
TRANSITION_NOT_ALLOWED = При текущем статусе заявления это действие невозможно.
REJECT_REASON_UNKNOWN = Выберите причину отказа из списка.
REJECT_REASON_TEXT_REQUIRED = Для причины «Другое» напишите пояснение.
PENDING_APPLICATION_EXISTS = На этого ребёнка уже подано заявление, оно на рассмотрении: второе подать нельзя.
CHILD_ALREADY_ACCEPTED = Ребёнок уже зачислен: чтобы подать новое заявление, сначала отзовите прежнее.
DOCUMENT_TOO_LARGE = Размер файла не должен превышать 1 МБ: уменьшите скан и загрузите снова.
DOCUMENT_EMPTY = Файл пустой: выберите другой файл.
DOCUMENT_MISSING = Не загружен обязательный документ: добавьте фото ребёнка и медицинскую справку.
CHILD_TOO_YOUNG = Ребёнку не исполняется 6 лет в год приёма.
CHILD_OLDER_THAN_USUAL = Ребёнку в год приёма больше 6 лет: проверьте основание.
OUTSIDE_ADMISSION_PERIOD = Заявления принимаются с 1 апреля по 31 августа.
CONSENT_MISSING = Нужно согласие с правилами приёма, условиями портала и на обработку персональных данных.
MICRO_DISTRICT_MISSING = Адрес регистрации не входит ни в один микроучасток: привяжите адрес к микроучастку.
TEMPORARY_REGISTRATION_INVALID = Заполните адрес и срок временной регистрации (начало раньше окончания).
DATE_INVALID = Введите дату в виде ДД.ММ.ГГГГ, например 01.09.2026.
RESPONSIBILITY_NOT_CONFIRMED = Подтвердите ответственность за изменение данных ребёнка и привязку адреса к микроучастку.
DOCUMENT_READABILITY_UNCHECKED = Изображение уменьшено до 1 МБ: проверьте, что оно читается, и нажмите «Читается» или выберите другой файл.
NOTIFICATION_CHANNEL_MISSING = Выберите, как отправлять уведомления: SMS или e-mail.
NOTIFICATION_EMAIL_MISSING = Для уведомлений по e-mail укажите e-mail на шаге 1 или выберите SMS.

## The detail after an error's text.
IIN_LENGTH-typed = Введено: { $got }.
DOCUMENT_TOO_LARGE-size = Размер файла: { $size }.

## Statuses of an application (R-5).
status-new = Новое
status-under_review = На рассмотрении
status-accepted = Принято
status-rejected = Отказано
status-withdrawn = Отозвано

## Reasons for a rejection (R-7).
reject-reason-incomplete_documents = Неполный пакет документов
reject-reason-unreadable_documents = Документы нечитаемы или недостоверны
reject-reason-no_free_places = Нет свободных мест
reject-reason-outside_micro_district = Вне микроучастка без оснований
reject-reason-age = Возраст ребёнка не соответствует
reject-reason-no_consent = Нет согласия
reject-reason-other = Другое

## Languages of instruction (R-10).
instruction-language-kk = казахский
instruction-language-ru = русский

## Kinds of documents (R-23).
document-kind-photo = Фотография ребёнка
document-kind-medical_certificate = Паспорт здоровья / медицинская справка
document-kind-birth_certificate = Свидетельство о рождении
document-kind-application_form = Заявление
document-kind-acceptance_receipt = Расписка о зачислении
document-kind-document_receipt = Расписка о приёме документов
document-kind-rejection_notice = Мотивированный отказ
document-kind-signature = Подпись ЭЦП
document-kind-other = Другой документ
