# Texts of crates/receipts (issue 17, R-35): the printed receipts and notices.

## Labels and sentences of the layout.
receipt-acceptance-title = Расписка о приёме в школу
receipt-documents-title = Расписка о приёме документов
receipt-rejection-title = Мотивированный отказ в приёме
receipt-provisional-banner = ПРЕДВАРИТЕЛЬНЫЙ ДОКУМЕНТ
receipt-number = Номер заявления
receipt-decision = Решение
receipt-status = Статус
receipt-decision-accepted = Принят в школу
receipt-decision-documents = Документы приняты, заявление зарегистрировано
receipt-decision-rejected = Отказано в приёме
receipt-submission-way = Способ подачи
receipt-submission-on-behalf = Подано сотрудником школы от имени заявителя
receipt-child = Ребёнок
receipt-child-iin = ИИН ребёнка
receipt-birth-date = Дата рождения
receipt-applicant = Заявитель
receipt-applicant-iin = ИИН заявителя
receipt-phone = Телефон
receipt-class = Класс
receipt-language = Язык обучения
receipt-decided-at = Дата и время решения
receipt-submitted-at = Дата и время подачи
receipt-clerk-decided = Сотрудник, принявший решение
receipt-clerk-registered = Сотрудник, зарегистрировавший заявление
receipt-clerk-iin = ИИН сотрудника
receipt-reason = Причина отказа
receipt-reason-text = Пояснение
receipt-documents-received = Принятые документы
receipt-documents-attached = Приложенные документы
receipt-documents-presented = Представленные документы
receipt-no-documents = Документы не представлены
receipt-right-to-apply-again = Вы вправе подать заявление повторно после устранения причины отказа.
receipt-clerk-signature = Сотрудник
receipt-applicant-signature = Получил (заявитель)
receipt-signature-hint = подпись
receipt-verify-caption = Проверка подлинности: отсканируйте QR-код или введите строку
receipt-unsigned-caption = На момент печати решение ещё не подписано ЭЦП.
receipt-page = стр.

## R-30: the reminder on the acceptance receipt (the month in the genitive).
receipt-originals-reminder = Оригиналы документов необходимо принести в школу до { $day } { $month ->
        [1] января
        [2] февраля
        [3] марта
        [4] апреля
        [5] мая
        [6] июня
        [7] июля
        [8] августа
        [9] сентября
        [10] октября
        [11] ноября
       *[12] декабря
    } { $year } года.

## R-14: what the document receipt tells the parent.
receipt-registered-notice = Заявление зарегистрировано под номером { $number }. Уведомление о решении придёт на телефон и электронную почту, указанные в заявлении.

## R-33: why the document is provisional and what number it carries.
receipt-provisional-notice = Напечатан до подтверждения заявления порталом. Локальный номер: { $number }. После подтверждения порталом будет присвоен постоянный номер и документ будет перепечатан.

## Errors of the receipts crate by their stable code (crates/receipts/src/error.rs).
RECEIPT_INPUT_NOT_JSON = Данные расписки не в формате JSON: проверьте файл.
RECEIPT_INPUT_NOT_JSON-at = { RECEIPT_INPUT_NOT_JSON } (строка { $line }, столбец { $column })
RECEIPT_FIELD_MISSING = Не заполнено обязательное поле: «{ $field }».
RECEIPT_FIELD_INVALID = Неверное значение поля: «{ $field }»: { $problem }
RECEIPT_FIELD_NOT_ALLOWED = Для этого вида документа поле лишнее: «{ $field }».
QR_PAYLOAD_INVALID = QR-код не относится к расписке Qabyldau или повреждён.
QR_PAYLOAD_UNSIGNED = Когда расписка печаталась, решение ещё не было подписано: QR-код не подтверждает подпись, попросите школу перепечатать документ.
SIGNATURE_DIGEST_MISMATCH = QR-код расписки не соответствует подписанному решению: документ подделан или относится к другому решению.

## What is wrong with a present field (after RECEIPT_FIELD_INVALID).
receipt-problem-wrong-type = неверный тип значения ({ $detail }).
receipt-problem-not-one-of = допустимые значения: { $allowed }.
receipt-problem-empty = не должно быть пустым.
receipt-problem-too-long = не длиннее { $max } { $max ->
        [one] символа
       *[other] символов
    }.
receipt-problem-too-many = не более { $max } { $max ->
        [one] пункта
       *[other] пунктов
    }.
receipt-problem-not-date = дата должна быть вида ГГГГ-ММ-ДД.
receipt-problem-not-date-time = дата и время в формате RFC 3339, например 2026-06-01T10:15:00+05:00.
receipt-problem-birth-date-differs = не совпадает с датой рождения в ИИН ребёнка ({ $date }): проверьте ИИН или дату.
receipt-problem-provisional-differs = у предварительного документа локальный номер (L-ГГГГ-NNNNNN), у окончательного — номер портала (ГГГГ-NNNNNNN).
receipt-problem-not-sha256 = должно быть 64 шестнадцатеричных символа (SHA-256).
