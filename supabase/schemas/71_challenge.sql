-- The proof-of-work challenge's server state: a solution counts once (pa_challenge_spent), and buys a session a
-- few more messages (pa_challenge_pass).

-- Spends a verified challenge (refused when it was spent before), takes one from the grant bucket (how many
-- solutions count per hour), and gives the session p_credits messages until p_pass_expires_at. Credits are set,
-- not added: solving twice in a row does not stack.
create or replace function redeem_challenge(
  p_challenge_id text, p_expires_at timestamptz, p_pass_key text, p_credits integer, p_pass_expires_at timestamptz,
  p_grant_bucket jsonb)
returns jsonb
language plpgsql as $$
declare
  granted jsonb;
begin
  insert into pa_challenge_spent (id, expires_at) values (p_challenge_id, p_expires_at) on conflict (id) do nothing;
  if not found then
    return jsonb_build_object('redeemed', false, 'reason', 'spent');
  end if;
  granted := pa_take_buckets(jsonb_build_array(p_grant_bucket));
  if not (granted->>'allowed')::boolean then
    return jsonb_build_object('redeemed', false, 'reason', 'limit', 'retry_after_seconds', granted->'retry_after_seconds');
  end if;
  insert into pa_challenge_pass (key, credits, expires_at) values (p_pass_key, p_credits, p_pass_expires_at)
  on conflict (key) do update set credits = excluded.credits, expires_at = excluded.expires_at;
  if random() < 0.05 then
    delete from pa_challenge_spent where id in (select id from pa_challenge_spent where expires_at < now() limit 500);
    delete from pa_challenge_pass where key in (select key from pa_challenge_pass where expires_at < now() limit 500);
  end if;
  return jsonb_build_object('redeemed', true, 'credits', p_credits);
end;
$$;

-- Takes one message from the session's pass, if it has one left.
create or replace function take_challenge_credit(p_pass_key text) returns jsonb
language plpgsql as $$
declare
  left_over integer;
begin
  update pa_challenge_pass set credits = credits - 1
  where key = p_pass_key and credits > 0 and expires_at > now()
  returning credits into left_over;
  return jsonb_build_object('taken', left_over is not null, 'remaining', coalesce(left_over, 0));
end;
$$;

select pa_lock_down();
