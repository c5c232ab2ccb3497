# Texts of crates/portal-sim (issue 17): the simulated portal's refusals, in problem+json
# `messages` (R-36). Domain refusals carry the domain's own texts (domain.ftl).

## Refusals by what was refused (the wire codes are portal_api::codes).
portal-malformed-json = Запрос не является JSON ({ $detail }): обновите программу или сообщите администратору.
portal-unknown-field = В запросе неизвестное поле ({ $detail }): версия программы не совпадает с порталом.
portal-invalid-field = Поле заполнено неверно: { $detail }. Исправьте и отправьте снова.
portal-body-too-large = Запрос слишком большой: уменьшите файлы и отправьте снова.
portal-idempotency-key-missing = В запросе нет заголовка Idempotency-Key: обновите программу.
portal-idempotency-key-reused = Этот Idempotency-Key уже использован для другого запроса: отправьте действие с новым ключом.
portal-token-missing = Войдите в систему.
portal-token-invalid = Сессия не распознана: войдите снова.
portal-token-expired = Сессия истекла: войдите снова.
portal-credentials-invalid = Неверный ИИН или пароль: проверьте и введите снова.
portal-account-locked = Слишком много неверных паролей: учётная запись заблокирована на { $minutes } { $minutes ->
        [one] минуту
        [few] минуты
       *[many] минут
    }. Повторите позже или войдите с ЭЦП.
portal-account-revoked = Ваша учётная запись на портале отключена (доступ отозван). Обратитесь к администратору школы: ожидающие записи на этом компьютере сохранятся.
portal-challenge-invalid = Запрос на вход по ЭЦП неизвестен, уже использован или истёк: получите новый и подпишите снова.
portal-signer-unknown = Владелец сертификата ({ $iin }) не зарегистрирован как сотрудник портала: выберите свой ключ или войдите по ИИН и паролю.
portal-forbidden-school = Вы не сотрудник школы { $school }: откройте заявления своей школы.
portal-admin-loopback-only = Административные действия доступны только с этого компьютера.
portal-not-found = Не найдено: { $what }.
portal-version-conflict = Заявление изменилось на портале: просмотрите новую версию и примите решение снова.
portal-transition-not-allowed = Статус заявления «{ $status }»: это действие больше невозможно (например, родитель отозвал заявление).
portal-no-free-places = Свободных мест по этому классу и языку обучения не осталось: выберите другую школу или откажите.
portal-pending-application-exists = { PENDING_APPLICATION_EXISTS } Заявление на рассмотрении: № { $number }, школа { $school }.
portal-signature-invalid = Подпись ЭЦП недействительна ({ $detail }): подпишите снова.
portal-signature-not-verified = Портал не смог проверить подпись ЭЦП: { $reason } Подпишите решение снова.
portal-signature-untrusted = Портал не доверяет этому удостоверяющему центру: { $reason } Подпишите ключом, выданным НУЦ.
portal-certificate-refused = Портал не принял сертификат: { $reason }
portal-not-an-authentication-key = Портал не принял сертификат: для входа выберите ключ аутентификации (AUTH_RSA_*.p12), а не ключ подписи.
portal-signer-mismatch = Подпись сделана не ЭЦП вошедшего сотрудника: подпишите своим ключом.
portal-certificate-revoked = Портал не принял сертификат: { $reason }
portal-organisation-mismatch = Подпись сделана сертификатом другой организации (БИН { $certificate }, БИН школы { $school }): подпишите ключом сотрудника этой школы.
portal-signing-time-skew = Время подписи ({ $at }) опережает часы портала более чем на 5 минут: проверьте дату и время на компьютере и подпишите снова.
portal-revocation-unavailable = Портал пока не смог проверить отзыв сертификата: запись остаётся в очереди и будет отправлена позже.
portal-document-missing = Не приложен обязательный документ: { $kind }. Загрузите файл.
portal-contact-not-confirmed = Контакт ({ $contact }) не подтверждён: отправьте код снова и введите код, который назовёт родитель.
portal-person-not-found = ИИН не найден в регистре населения: проверьте номер.
portal-code-incorrect = Неверный код подтверждения: введите снова.
portal-code-expired = Срок кода подтверждения истёк: запросите новый код.
portal-code-attempts-exceeded = Слишком много неверных попыток: запросите новый код.
portal-outage = Портал временно недоступен: действия сохранены в очереди и будут отправлены позже.
portal-address-bound-elsewhere = Адрес ({ $address }) на портале уже привязан к другому микроучастку ({ $micro_district }): проверьте данные ребёнка, выберите верный микроучасток или укажите временную регистрацию.
portal-internal = Внутренняя ошибка портала: действие будет повторено автоматически позже.

## The answer of an overloaded portal (429/503 with Retry-After).
portal-overloaded = Портал сейчас перегружен. Повторите немного позже.

## A field of the wire form that does not convert (crates/portal-api/src/convert.rs).
portal-field-format = Неверный формат поля «{ $field }» (ожидается: { $expected }): исправьте и отправьте снова.
