### The window's own texts (issue 17, R-36; UI.md: "Kazakh and Russian are equal: every
### string in both"), read with @fluent/bundle. Labels of statuses, sync marks, reject reasons,
### document kinds, languages and error codes are not here: they come from desk's catalogue
### (desk.ftl, domain.ftl …), the one source shared with the CLI.
### ui/src/i18n/messages.ts is made from this file (crates/i18n/tests/ui_messages.rs).

app-name = Qabyldau

## Each language by its own name, the same in both catalogues.
language-name-kk = Қазақша
language-name-ru = Русский

journal-title = Журнал заявлений
language-switch = Язык интерфейса

search-label = Поиск
search-placeholder = Фамилия, ИИН или номер заявления
search-shortcut = Поиск: / или Ctrl+F

filters-title = Фильтры
filter-status = Статус
filter-all = Все
filter-grade = Класс
filter-language = Язык обучения
filter-any = Любой
filter-submitted = Дата подачи
filter-from = с
filter-to = по
# A date typed as in Kazakhstan (domain::parse_date): the journal filter, the temporary registration.
date-placeholder = дд.мм.гггг
filter-reset = Сбросить фильтры
grade-value = { $grade } класс

col-number = Номер
col-child = Ребёнок
col-iin = ИИН
col-submitted = Дата подачи
col-school = Школа
col-grade = Класс
col-language = Язык обучения
col-status = Статус

shown-of = Показано { $shown } из { $total }
load-more = Загрузить ещё
loading = Загрузка…
nothing-found = Ничего не найдено. Измените текст поиска или фильтры.
provisional = временный номер

tab-info = Информация о заявлении
tab-history = История изменений
tab-documents = Общие документы
close = Закрыть
close-shortcut = Закрыть: Esc
accept = Принять
reject = Отказать
accept-shortcut = Принять: Alt+Q
reject-shortcut = Отказать: Alt+B

section-application = Заявление
section-applicant = Заявитель
section-child = Ребёнок
section-contacts = Контактные данные
section-address = Адрес
section-school = Школа и класс
section-consents = Согласия

field-number = Номер заявления
field-status = Статус
field-sync = Синхронизация с порталом
field-submitted = Дата подачи
field-version = Версия
field-name = Фамилия, имя, отчество
field-iin = ИИН
field-birth-date = Дата рождения
field-sex = Пол
field-birth-certificate = Свидетельство о рождении
field-phone = Основной мобильный телефон
field-phone-extra = Дополнительный телефон
field-email = Электронная почта
field-registered-address = Адрес регистрации
field-actual-address = Фактический адрес проживания
field-micro-district = Микроучасток
field-temporary-registration = Временная регистрация
field-school = Школа
field-grade = Класс приёма
field-language = Язык обучения
field-reject-reason = Причина отказа
field-portal-message = Сообщение портала
field-consent-rules = Согласие с правилами приёма
field-consent-personal-data = Согласие на сбор и обработку персональных данных
field-notifications = Язык уведомлений
sex-male = мужской
sex-female = женский
yes = да
no = нет
none = —

history-when = Время
history-who = Кто
history-what = Что изменено
history-empty = Изменений пока нет.
history-signed-with = Подпись: { $name }
history-revocation-unchecked = Отзыв ключа ещё не проверен: портал проверит при отправке

documents-name = Документ
documents-size = Размер
documents-empty = Документов нет.
documents-from-applicant = Документы, приложенные заявителем
documents-generated = Документы, сформированные системой
download = Скачать
kilobytes = { $kb } КБ

status-bar-clerk = Сотрудник
status-bar-school = Школа
online = В сети
offline = Нет связи
offline-hint = Портал недоступен: работа продолжается, изменения будут отправлены, когда связь восстановится
last-sync = Последняя синхронизация
never-synced = ещё не было
waiting = Ожидают отправки
refused = Отклонено порталом
history-broken = История изменена
copy-log = Копировать журнал диагностики
copy-log-hint = Журнал для IT-специалиста школы: ИИН и телефоны скрыты, PIN и паролей в нём нет
log-copied = Журнал скопирован
log-not-copied = Не удалось скопировать
history-broken-hint = Запись истории журнала изменена или удалена в обход программы. Сообщите IT-специалисту школы: qabyldau audit verify покажет, какая запись.

error-title = Ошибка
error-generic = Произошла непредвиденная ошибка. Повторите действие; если ошибка повторится, обратитесь в службу поддержки и назовите код ошибки.
error-code = Код ошибки
retry = Повторить

## Sign-in and sync
sign-in-title = Вход в систему
sign-in-district = Выберите район или город
sign-in-district-pick = — выберите —
sign-in-by-iin = По ИИН
sign-in-by-eds = С ЭЦП
sign-in-eds-key = Ключ аутентификации
sign-in-eds-hint = Выберите ключ аутентификации (AUTH_RSA_… или AUTH_GOST_…): им подписывается запрос портала.
sign-in-eds-token = Токен
sign-in-eds-pin = PIN-код токена
sign-in-eds-file-password = Пароль файла ключа
sign-in-eds-journal-password = Ваш пароль портала (один раз на этом компьютере)
sign-in-eds-no-file = Выберите файл ключа.
sign-in-iin = ИИН (логин)
sign-in-password = Пароль
sign-in-button = Войти
sign-in-busy = Подключение к порталу…
sign-in-offline-note = Если портал недоступен, сотрудник, который уже входил в портал на этом компьютере, входит без сети со своим паролем.
sign-in-earlier = Последний вход на этом компьютере: { $name }
lock-title = Рабочее место заблокировано
lock-text = { $name }, чтобы продолжить, введите свой пароль. Данные в открытых окнах сохранены.
lock-text-eds = { $name }, чтобы продолжить, выберите ключ ЭЦП, с которым вы вошли, и введите PIN-код. Данные в открытых окнах сохранены.
lock-password = Пароль
lock-button = Разблокировать
lock-busy = Проверка…
lock-other-clerk = Войдёт другой сотрудник
lock-now = Заблокировать
sign-out = Выйти
sign-in-email-title = Подтверждение электронной почты
sign-in-email-hint = При первом входе укажите свою электронную почту: на неё придёт 4-значный код.
sign-in-email = Электронная почта
sign-in-email-send = Отправить код
sign-in-code = 4-значный код из письма
sign-in-code-hint = Код отправлен на { $email }.
sign-in-email-confirm = Подтвердить
switch-clerk = Сменить сотрудника
waits-for-clerk = Ждёт, когда войдёт { $name } (отправляется только под его сессией портала)
sign-in-demo = Демо: данные сотрудника тестового портала заполнены заранее (только для демо).
sign-in-portal = Портал
sign-in-again = Войти
syncing = Синхронизация…
syncing-rows = Синхронизация: получено { $count } { $count ->
        [one] заявление
        [few] заявления
       *[many] заявлений
    }
sign-in-required = Нужен вход
no-portal = Без связи: портал не настроен
no-portal-hint = Адрес портала не задан (QABYLDAU_PORTAL). Журнал работает на этом компьютере.
sync-now = Синхронизировать
refused-hint = Портал отклонил: откройте заявление, чтобы увидеть сообщение
# Issue 12: pulled applications this version could not read (kept raw).
unreadable = Не удалось прочитать
unreadable-hint = Некоторые заявления с портала эта версия программы прочитать не смогла. Они не потеряны: сохранены и будут прочитаны после обновления программы.

## Decisions, receipts, documents
accept-dialog-title = Подтверждение действия
accept-dialog-lead = Чтобы подтвердить приём ребёнка в школу, выберите ключ и подпишите решение ЭЦП (RSA).
reject-dialog-title = Подтверждение отказа
reject-dialog-lead = Выберите причину отказа из списка и подпишите действие ключом ЭЦП (RSA).
confirm-accept = Подтвердить
confirm-reject = Подтвердить отказ
confirm-shortcut = Подтвердить: Enter
cancel = Отмена
cancel-shortcut = Отмена: Esc
decision-what = Решение
reject-reason = Причина отказа
reject-reason-choose = Выберите причину
reject-text = Пояснение
reject-text-required = Обязательно для причины «Другое»
signing-key = Ключ ЭЦП (RSA)
key-tokens-searching = Поиск токенов…
key-tokens-none = Токены не найдены: выберите файл ключа.
key-token-label = Токен «{ $label }»
key-file = Файл ключа (.p12: RSA или ГОСТ 2015)
key-file-path = Путь к файлу ключа
key-file-browse = Выбрать…
cert-algorithm = Алгоритм: { $name }
cert-valid-until = действителен до { $date }
cert-signing = Ключ подписи
cert-auth-only = Только для входа (AUTH): решение не подписывает
token-pin-low = Осталось мало попыток ввода PIN-кода
token-pin-final = Последняя попытка ввода PIN-кода
token-pin-locked = PIN-код заблокирован
pin-label-token = PIN-код токена
pin-label-file = Пароль файла ключа
signing-busy = Подписание…
key-nca-layer = NCALayer
ncalayer-version = версия { $version }
ncalayer-hint = Хранилище ключа и PIN-код выбираются в окне NCALayer (токен, удостоверение личности, файл ключа).
signing-busy-nca-layer = Подпишите в окне NCALayer…
decision-signed = Решение подписано ({ $signer }). Ожидает отправки на портал.
print-receipt = Печать расписки
print-shortcut = Печать: Alt+P
save-pdf = Сохранить PDF
print-receipt-language = Язык расписки
receipt-section = Расписка
receipt-opened = Расписка открыта: { $path }
receipt-written = Расписка записана (программа просмотра не открылась): { $path }
receipt-provisional = Предварительная: портал ещё не подтвердил заявление
file-saved = Сохранено: { $path }
download-offline = Документа нет на этом компьютере: загрузится с портала, когда будет связь
download-title = Сохранить документ на диск

## The on-behalf wizard
wizard-open = Подать от имени заявителя
wizard-open-shortcut = Подать от имени заявителя (Alt+N)
wizard-steps-label = Шаги формы заявления
wizard-step1 = Заявитель и ребёнок
wizard-step2 = Школа и документы
wizard-step3 = Подписать и отправить
wizard-draft-saved = Черновик сохранён: { $time }
wizard-draft-hint = Черновик сохраняется после каждого изменения: он не пропадёт, даже если закрыть окно.
wizard-sign-hint = Заявление подписывается ЭЦП (RSA) сотрудника, который его регистрирует.
wizard-to-journal = Вернуться в журнал
wizard-back = Назад
wizard-next = Далее
wizard-submit = Подписать и отправить
wizard-signing = Подписание…
wizard-applicant = Заявитель
wizard-child = Ребёнок
wizard-iin = ИИН
wizard-child-iin = ИИН ребёнка
wizard-surname = Фамилия
wizard-given = Имя
wizard-patronymic = Отчество
wizard-full-name = Ф.И.О.
wizard-birth-certificate = Номер свидетельства о рождении
wizard-check-iin = Проверить ИИН
walk-in-checked = проверено по регистру
walk-in-unchecked = не проверено
walk-in-from-register = Заполнено из регистра населения
walk-in-send-code = Отправить код
walk-in-resend-in = Повторно через { $s } { $s ->
        [one] секунду
        [few] секунды
       *[many] секунд
    }
walk-in-code-sent = Код отправлен: { $to }
walk-in-code-label = Код (4 цифры)
walk-in-confirm-code = Подтвердить
walk-in-confirmed = подтверждён
walk-in-unconfirmed = не подтверждён
walk-in-actual-address = Адрес фактического проживания
walk-in-street = Улица
walk-in-house = Дом
walk-in-find-address = Найти адрес
walk-in-pick-address = Выберите полный адрес
walk-in-no-address = Такого адреса нет в регистре
walk-in-holds-title = Ожидает перед отправкой
walk-in-hold-phone = Основной телефон не подтверждён кодом
walk-in-hold-email = Электронная почта не подтверждена кодом
walk-in-hold-register = Данные ещё не сверены с регистром населения (будут сверены, когда портал станет доступен)
walk-in-diff-field = Поле
walk-in-typed = Введено
walk-in-register-value = В регистре
walk-in-keep-typed = Оставить введённое
walk-in-take-register-hint = Если взять версию регистра, заявление исправляется и подписывается заново; введённое остаётся в истории.
walk-in-number-assigned = Портал присвоил номер: { $number }
walk-in-portal-refused = Портал не принял: { $message }
# A held walk-in corrected and signed again (issue 11).
walk-in-hold-binding = Портал не принял привязку к микроучастку: заявление ждёт и не отправляется
walk-in-rebind-hint = Выберите другой микроучасток (из сообщения портала или иной), подтвердите ответственность и подпишите привязку и заявление заново.
walk-in-rebind-responsibility = Беру на себя ответственность за изменение данных ребёнка.
walk-in-rebind-sign = Привязать заново и подписать
walk-in-take-register = Взять данные регистра
walk-in-take-register-sign = Подписать версию регистра и отправить
wizard-born = Дата рождения: { $date }, пол: { $sex }
wizard-male = мужской
wizard-female = женский
wizard-known-child = данные заполнены из журнала, проверьте их
wizard-unknown-child = этого ребёнка нет в журнале: введите данные по документам
wizard-contacts = Контактные данные
wizard-phone = Основной мобильный телефон
wizard-phone-hint = Например: 8 701 234 56 78
wizard-extra-phone = Дополнительный телефон
wizard-email = Электронная почта
wizard-address = Адрес регистрации
wizard-registered-address = Адрес регистрации ребёнка
wizard-micro-district = Микроучасток
wizard-bound-note = адрес привязан к микроучастку
wizard-no-micro-district-title = Сообщение
wizard-no-micro-district = Адрес регистрации ребёнка не входит ни в один микроучасток. Нажмите «Редактировать», выберите микроучасток и привяжите к нему адрес, или добавьте временную регистрацию ребёнка.
wizard-edit = Редактировать
wizard-responsibility-title = Подтверждение ответственности
wizard-responsibility = Я ознакомлен(а) с ответственностью за внесение изменений в данные ребёнка и беру ответственность за внесённые изменения на себя.
wizard-confirm = Подтвердить
wizard-cancel = Отмена
wizard-ok = ОК
wizard-pick-micro-district = Выберите микроучасток
wizard-save = Сохранить
wizard-chosen-micro-district = Выбран микроучасток: { $name }. Привяжите к нему адрес.
wizard-bind = Привязать к микроучастку
wizard-bind-confirm = Привязать адрес «{ $address }» к микроучастку «{ $name }»?
wizard-bind-button = Привязать
wizard-temporary-title = Временная регистрация
wizard-temporary = У ребёнка есть временная регистрация
wizard-temp-address = Адрес временной регистрации
wizard-temp-from = Начало
wizard-temp-until = Окончание
wizard-school-section = Класс приёма и школа
wizard-grade = Класс приёма
wizard-language = Язык обучения
wizard-school = Школа
wizard-pick-school = Выберите школу
wizard-free-places = { $count } { $count ->
        [one] свободное место
        [few] свободных места
       *[many] свободных мест
    }
wizard-own-school = по микроучастку
wizard-school-hint = В списке только школы со свободными местами; школа по микроучастку стоит первой.
wizard-no-own-school = Школа по микроучастку не найдена: выбирайте школу только по микроучастку, иначе заявление не будет одобрено.
wizard-documents = Документы
wizard-documents-hint = Фото и медицинская справка обязательны; каждый файл не больше 1 МБ (большое изображение уменьшается, PDF больше 1 МБ не принимается), копии должны чётко читаться.
wizard-optional = необязательно
wizard-doc-checked = читаемость проверена
wizard-doc-pick-another = Выбрать другой файл
wizard-doc-readable = Читается
wizard-doc-reduced = Изображение было { $from }, уменьшено до { $to }, чтобы уложиться в 1 МБ. Проверьте, что оно чётко читается.
preview-pdf-hint = Чтобы прочитать страницы, сохраните документ через «Скачать» и откройте его.
preview-pdf-damaged = PDF не открывается: файл, возможно, повреждён, выберите другой.
preview-pdf = Документ PDF · { $pages } { $pages ->
        [one] страница
        [few] страницы
       *[many] страниц
    } · { $size }
preview-alt = { $name }: предпросмотр
preview-hide = Скрыть
preview-show = Просмотр
wizard-path-placeholder = Путь к файлу
wizard-choose-file = Выбрать…
wizard-consents = Согласия
wizard-consent-rules = С правилами приёма ознакомлен(а)
wizard-consent-terms = Согласен(на) с условиями использования портала
wizard-consent-personal = Согласен(на) на сбор и обработку персональных данных
wizard-notifications = Язык уведомлений
wizard-no-notifications = Без уведомлений
wizard-notification-channel = Как отправлять уведомления
wizard-key-missing = Выберите ключ.
wizard-pin-missing = Введите PIN-код или пароль ключа.
wizard-success-title = Заявление зарегистрировано
wizard-registered = Заявление зарегистрировано. Номер заявления: { $number }
wizard-provisional-note = Это временный номер: когда заявление уйдёт на портал, портал присвоит постоянный номер.
wizard-print-receipt = Распечатать расписку о приёме документов
wizard-printed = Расписка готова: { $file }

## Settings, first run, about, backups (issue 13)
settings-open = Настройки
settings-title = Настройки
settings-close = Закрыть
settings-save = Сохранить
settings-saved = Сохранено. Изменения записаны в историю.
settings-nothing-changed = Ничего не изменилось.
settings-sign-in-to-change = Изменять настройки может только вошедший сотрудник.
settings-portal = Адрес портала
settings-portal-check = Проверить
settings-portal-checking = Проверка…
settings-portal-ok = Портал ответил.
settings-portal-tls-ok = Защищённое соединение (TLS): в порядке.
settings-portal-no-tls = Соединение без шифрования: допускается только к этому компьютеру.
settings-portal-region = Регион: { $region }
settings-portal-region-later = Регион будет показан после входа.
settings-portal-restart = Новый портал применяется после перезапуска программы.
settings-modules = Модули PKCS#11 токенов
settings-modules-hint = Модули известных производителей (SafeNet eToken, JaCarta, Rutoken, Kaztoken, aKey, SoftHSM2) находятся автоматически.
settings-modules-none = На этом компьютере модуль токена не найден: добавьте его через «Добавить модуль» или используйте файл ключа.
settings-module-add = Добавить модуль…
settings-module-test = Проверить
settings-module-remove = Убрать
settings-module-found = найден
settings-module-configured = настроен
settings-module-missing = файла нет
settings-module-tokens = Токены: { $list }
settings-module-no-tokens = Модуль ответил, но токен не вставлен.
settings-receipt-language = Язык расписки
settings-receipt-application = На языке заявления
settings-lock-timeout = Блокировка через, минут
settings-files = Файлы
settings-data-dir = Папка данных
settings-journal-file = Журнал
settings-config-file = Файл настроек
settings-source = источник: { $source }
source-default = по умолчанию
source-file = файл
source-environment = переменная окружения
source-screen = это окно
settings-problem = Не принятое значение ({ $source }): { $detail }
settings-upgraded = Файл настроек обновлён с версии { $from }; старый сохранён: { $kept }
settings-history = История изменений
settings-history-empty = Изменений пока нет.
settings-demo = Демо-режим: демо-журнал и демо-портал, настоящий журнал не затрагивается.
about-title = О программе
about-version = Версия { $version } · сборка { $commit } · { $date }
first-run-title = Первый запуск Qabyldau
first-run-intro = Введите адрес портала вашего региона и проверьте его. Затем вы войдёте, и журнал заполнится с портала.
first-run-next = Далее
first-run-check-first = Сначала проверьте адрес.
journal-restore-offer = Последняя резервная копия: { $file }. Журнал можно восстановить из неё (текущий файл сохранится рядом).
journal-restore = Восстановить из резервной копии
journal-no-backup = Резервной копии нет: обратитесь к администратору.
