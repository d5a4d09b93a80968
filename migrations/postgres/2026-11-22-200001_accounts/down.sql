DROP TABLE login_failures;
DROP TABLE email_tokens;
DROP TABLE sessions;
