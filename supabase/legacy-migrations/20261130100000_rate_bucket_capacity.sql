-- The capacity a rate bucket's tokens were counted under (issue 54, item 1.12). A bucket stored only its tokens, and
-- each request read them against the capacity the settings give now: after an operator raised an hourly quota
-- (RATE_LIMIT_*, CHALLENGE_*) and restarted, a reader who had used the old quota kept an empty bucket that refilled
-- at the new rate, and was asked for a challenge after one message. With the capacity kept, what a reader has used
-- is kept instead, and the room a new capacity adds (or takes away) is theirs at once (pa_bucket_available in
-- supabase/schemas/70_limits.sql). Buckets stored before this column have none: they are read as before until
-- their next request stores it.
alter table pa_rate_bucket add column if not exists capacity double precision;

select pa_lock_down();
