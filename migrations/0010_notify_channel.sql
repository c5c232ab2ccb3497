-- R-25: how the parent is notified (sms / email), beside the language (notify_lang).
-- NULL: no notifications, or an application that came before the channel was asked.
ALTER TABLE application ADD COLUMN notify_channel TEXT CHECK (notify_channel IN ('sms', 'email'));
