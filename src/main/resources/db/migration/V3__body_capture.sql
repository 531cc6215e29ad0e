-- request_log.capture_bodies: the request body and the response text of a request whose tenant captures them,
-- capped at request_log.max_body_bytes and with secrets masked; null when not captured.
ALTER TABLE request_log ADD COLUMN request_body TEXT NULL;
ALTER TABLE request_log ADD COLUMN response_body TEXT NULL;
ALTER TABLE request_log ADD COLUMN bodies_truncated BOOLEAN NULL;
-- tenants[].capture_bodies of a tenant created through the admin API: JSON as given (true or false), bound by the
-- gateway like the other limits; null inherits request_log.capture_bodies.
ALTER TABLE tenants ADD COLUMN capture_bodies_json VARCHAR(16) NULL;
