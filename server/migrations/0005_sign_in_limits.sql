-- Wrong guesses are counted on the code they were made against, in the same statement that
-- lets a guess be compared, so parallel guesses cannot pass the limit (auth/otp.rs).
ALTER TABLE otp_codes ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;

-- An event can be taken back: a staff sign-in attempt reserved before its password is
-- verified no longer counts once it succeeded (ratelimit::take, ratelimit::give_back).
ALTER TABLE rate_events ADD COLUMN id TEXT;
CREATE INDEX rate_events_id ON rate_events (id);
