# Texts of crates/portal-sim (issue 17): the simulated portal's refusals, in problem+json
# `messages` (R-36). Domain refusals carry the domain's own texts (domain.ftl).

## Refusals by what was refused (the wire codes are portal_api::codes).
portal-malformed-json = Сұраныс JSON емес ({ $detail }): бағдарламаны жаңартыңыз немесе әкімшіге хабарлаңыз.
portal-unknown-field = Сұраныста белгісіз өріс бар ({ $detail }): бағдарлама нұсқасы порталға сәйкес емес.
portal-invalid-field = Өріс дұрыс толтырылмаған: { $detail }. Түзетіп, қайта жіберіңіз.
portal-body-too-large = Сұраныс тым үлкен: файлдарды кішірейтіп, қайта жіберіңіз.
portal-idempotency-key-missing = Сұраныста Idempotency-Key тақырыбы жоқ: бағдарламаны жаңартыңыз.
portal-idempotency-key-reused = Бұл Idempotency-Key басқа сұранысқа қолданылған: әрекетті жаңа кілтпен жіберіңіз.
portal-token-missing = Жүйеге кіріңіз.
portal-token-invalid = Сессия танылмады: жүйеге қайта кіріңіз.
portal-token-expired = Сессия мерзімі өтті: жүйеге қайта кіріңіз.
portal-credentials-invalid = ЖСН немесе құпиясөз қате: тексеріп, қайта енгізіңіз.
portal-account-locked = Құпиясөз тым көп рет қате енгізілді: есептік жазба { $minutes } минутқа бұғатталды. Кейін қайталаңыз немесе ЭЦҚ арқылы кіріңіз.
portal-account-revoked = Порталдағы есептік жазбаңыз өшірілген (кіру құқығы алынды). Мектеп әкімшісіне хабарласыңыз: осы компьютердегі күтіп тұрған жазбалар сақталады.
portal-challenge-invalid = ЭЦҚ арқылы кіру сұрауы белгісіз, қолданылған немесе мерзімі өткен: жаңа сұрау алып, қайта қол қойыңыз.
portal-signer-unknown = Сертификат иесі ({ $iin }) порталдың қызметкері ретінде тіркелмеген: өз кілтіңізді таңдаңыз немесе ЖСН мен құпиясөз арқылы кіріңіз.
portal-forbidden-school = Сіз { $school } мектебінің қызметкері емессіз: өз мектебіңіздің өтініштерін ашыңыз.
portal-admin-loopback-only = Әкімшілік әрекеттер тек осы компьютерден қолжетімді.
portal-not-found = Табылмады: { $what }.
portal-version-conflict = Өтініш порталда өзгерген: жаңа нұсқасын қарап, шешімді қайта қабылдаңыз.
portal-transition-not-allowed = Өтініш күйі «{ $status }»: бұл әрекетті енді орындауға болмайды (мысалы, ата-ана қайтарып алған).
portal-no-free-places = Бұл сынып пен оқыту тілі бойынша бос орын қалмады: басқа мектепті таңдаңыз немесе бас тартыңыз.
portal-pending-application-exists = { PENDING_APPLICATION_EXISTS } Қаралып жатқан өтініш: № { $number }, мектеп { $school }.
portal-signature-invalid = ЭЦҚ қолтаңбасы жарамсыз ({ $detail }): құжатқа қайта қол қойыңыз.
portal-signature-not-verified = Портал ЭЦҚ қолтаңбасын тексере алмады: { $reason } Шешімге қайта қол қойыңыз.
portal-signature-untrusted = Портал бұл куәландырушы орталыққа сенбейді: { $reason } ҰКО берген кілтпен қол қойыңыз.
portal-certificate-refused = Портал сертификатты қабылдамады: { $reason }
portal-not-an-authentication-key = Портал сертификатты қабылдамады: жүйеге кіру үшін аутентификация кілтін (AUTH_RSA_*.p12) таңдаңыз, қол қою кілтін емес.
portal-signer-mismatch = Қолтаңба жүйеге кірген қызметкердің ЭЦҚ-сымен қойылмаған: өз кілтіңізбен қол қойыңыз.
portal-certificate-revoked = Портал сертификатты қабылдамады: { $reason }
portal-organisation-mismatch = Қолтаңба басқа ұйымның сертификатымен қойылған (БСН { $certificate }, мектептің БСН-ы { $school }): мектептің қызметкері ретінде берілген кілтпен қол қойыңыз.
portal-signing-time-skew = Қол қою уақыты ({ $at }) порталдың сағатынан 5 минуттан артық алда: компьютердің күні мен уақытын тексеріп, қайта қол қойыңыз.
portal-revocation-unavailable = Портал сертификаттың кері қайтарылуын әзірге тексере алмады: жазба кезекте қалады және кейінірек жіберіледі.
portal-document-missing = Міндетті құжат тіркелмеген: { $kind }. Файлды жүктеңіз.
portal-contact-not-confirmed = Байланыс ({ $contact }) расталмаған: кодты қайта жіберіп, ата-ана айтқан кодты енгізіңіз.
portal-person-not-found = ЖСН халық тізілімінде табылмады: нөмірді тексеріңіз.
portal-code-incorrect = Растау коды қате: қайта енгізіңіз.
portal-code-expired = Растау кодының мерзімі өтті: жаңа код сұраңыз.
portal-code-attempts-exceeded = Қате әрекеттер тым көп: жаңа код сұраңыз.
portal-outage = Портал уақытша қолжетімсіз: әрекеттер кезекте сақталып, кейін жіберіледі.
portal-address-bound-elsewhere = Мекенжай ({ $address }) порталда басқа микротелімге ({ $micro_district }) біріктірілген: баланың деректерін тексеріп, дұрыс микротелімді таңдаңыз немесе уақытша тіркеуді көрсетіңіз.
portal-internal = Порталда ішкі қате: әрекет кейінірек автоматты түрде қайталанады.

## The answer of an overloaded portal (429/503 with Retry-After).
portal-overloaded = Портал қазір шамадан тыс жүктелген. Сәл кейінірек қайталаңыз.

## A field of the wire form that does not convert (crates/portal-api/src/convert.rs).
portal-field-format = «{ $field }» өрісінің пішімі дұрыс емес (күтілгені: { $expected }): түзетіп, қайта жіберіңіз.
