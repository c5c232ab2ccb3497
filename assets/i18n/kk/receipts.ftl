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
