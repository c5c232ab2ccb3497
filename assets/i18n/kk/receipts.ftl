# Texts of crates/receipts (issue 17, R-35): the printed receipts and notices.

## Labels and sentences of the layout.
receipt-acceptance-title = Мектепке қабылдау туралы қолхат
receipt-documents-title = Құжаттарды қабылдау туралы қолхат
receipt-rejection-title = Қабылдаудан дәлелді бас тарту
receipt-provisional-banner = УАҚЫТША ҚҰЖАТ
receipt-number = Өтініш нөмірі
receipt-decision = Шешім
receipt-status = Мәртебесі
receipt-decision-accepted = Мектепке қабылданды
receipt-decision-documents = Құжаттар қабылданды, өтініш тіркелді
receipt-decision-rejected = Қабылдаудан бас тартылды
receipt-submission-way = Тапсыру тәсілі
receipt-submission-on-behalf = Өтініш берушінің атынан мектеп қызметкері тапсырды
receipt-child = Бала
receipt-child-iin = Баланың ЖСН
receipt-birth-date = Туған күні
receipt-applicant = Өтініш беруші
receipt-applicant-iin = Өтініш берушінің ЖСН
receipt-phone = Телефон
receipt-class = Сынып
receipt-language = Оқыту тілі
receipt-decided-at = Шешім қабылданған күні мен уақыты
receipt-submitted-at = Тапсырылған күні мен уақыты
receipt-clerk-decided = Шешім қабылдаған қызметкер
receipt-clerk-registered = Өтінішті тіркеген қызметкер
receipt-clerk-iin = Қызметкердің ЖСН
receipt-reason = Бас тарту себебі
receipt-reason-text = Түсіндірме
receipt-documents-received = Қабылданған құжаттар
receipt-documents-attached = Қоса берілген құжаттар
receipt-documents-presented = Ұсынылған құжаттар
receipt-no-documents = Құжаттар ұсынылмаған
receipt-right-to-apply-again = Бас тарту себебін жойғаннан кейін өтінішті қайтадан беруге құқығыңыз бар.
receipt-clerk-signature = Қызметкер
receipt-applicant-signature = Алдым (өтініш беруші)
receipt-signature-hint = қолы
receipt-verify-caption = Түпнұсқалығын тексеру: QR-кодты сканерлеңіз немесе жолды енгізіңіз
receipt-unsigned-caption = Басып шығарылған кезде шешімге ЭЦҚ әлі қойылмаған.
receipt-page = бет

## R-30: the reminder on the acceptance receipt (the month in the dative, as «… дейін» needs).
receipt-originals-reminder = Құжаттардың түпнұсқаларын { $year } жылғы { $day } { $month ->
        [1] қаңтарға
        [2] ақпанға
        [3] наурызға
        [4] сәуірге
        [5] мамырға
        [6] маусымға
        [7] шілдеге
        [8] тамызға
        [9] қыркүйекке
        [10] қазанға
        [11] қарашаға
       *[12] желтоқсанға
    } дейін мектепке әкелу қажет.

## R-14: what the document receipt tells the parent.
receipt-registered-notice = Өтініш { $number } нөмірімен тіркелді. Шешім туралы хабарлама өтініште көрсетілген телефонға және электрондық поштаға жіберіледі.

## R-33: why the document is provisional and what number it carries.
receipt-provisional-notice = Портал өтінішті әлі растамаған кезде басып шығарылды. Жергілікті нөмір: { $number }. Портал растағаннан кейін тұрақты нөмір беріледі және құжат қайта басып шығарылады.

## Errors of the receipts crate by their stable code (crates/receipts/src/error.rs).
RECEIPT_INPUT_NOT_JSON = Қолхат деректері JSON пішімінде емес: файлды тексеріңіз.
RECEIPT_INPUT_NOT_JSON-at = { RECEIPT_INPUT_NOT_JSON } ({ $line }-жол, { $column }-баған)
RECEIPT_FIELD_MISSING = Міндетті өріс толтырылмаған: «{ $field }».
RECEIPT_FIELD_INVALID = Өрістің мәні жарамсыз: «{ $field }»: { $problem }
RECEIPT_FIELD_NOT_ALLOWED = Бұл құжат түрінде мына өріс болмауы керек: «{ $field }».
QR_PAYLOAD_INVALID = QR-код Qabyldau қолхатына жатпайды немесе зақымдалған.
QR_PAYLOAD_UNSIGNED = Қолхат басып шығарылғанда шешімге әлі қол қойылмаған: QR-код қолтаңбаны дәлелдемейді, мектептен қайта басып шығаруды сұраңыз.
SIGNATURE_DIGEST_MISMATCH = Қолхаттағы QR-код қол қойылған шешімге сәйкес келмейді: құжат жалған немесе басқа шешімге жатады.

## What is wrong with a present field (after RECEIPT_FIELD_INVALID).
receipt-problem-wrong-type = мән түрі дұрыс емес ({ $detail }).
receipt-problem-not-one-of = мына мәндердің бірі болуы керек: { $allowed }.
receipt-problem-empty = бос болмауы керек.
receipt-problem-too-long = { $max } таңбадан аспауы керек.
receipt-problem-too-many = { $max } тармақтан аспауы керек.
receipt-problem-not-date = күн ЖЖЖЖ-АА-КК түрінде болуы керек.
receipt-problem-not-date-time = күн мен уақыт RFC 3339 түрінде болуы керек, мысалы 2026-06-01T10:15:00+05:00.
receipt-problem-birth-date-differs = баланың ЖСН-ындағы туған күнге ({ $date }) сәйкес емес: ЖСН-ды немесе күнді тексеріңіз.
receipt-problem-provisional-differs = уақытша құжатта жергілікті нөмір (L-ЖЖЖЖ-NNNNNN), тұрақтыда портал нөмірі (ЖЖЖЖ-NNNNNNN) болады.
receipt-problem-not-sha256 = 64 он алтылық таңба (SHA-256) болуы керек.
