-- The pages of the index this site shows at its own URLs, for its sitemap (lib/docs/agents/sitemap.ts): those whose slug
-- is a path on this site (the docs folder's, the API reference's, maintainers' answers'), not a URL elsewhere (a
-- crawled site's, GitHub's, a spec published elsewhere). Each with what says who may read it (meta's audiences and
-- isPrivate, lib/audiences pageAudiencesOf reads them), when it last changed (its source's date, else when the index
-- last saw it change: indexed_at moves only when its checksum does), and the anchors of its sections that are pages of
-- their own (an API operation's, `operation/<id>`: lib/docs/folder/load.ts docUrl).
-- Tables: docs_page and docs_section.
create or replace function list_docs_site_pages() returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('path', p.path, 'slug', p.slug, 'kind', p.source_kind,
    'meta', jsonb_build_object('audiences', p.meta->'audiences', 'isPrivate', p.meta->'isPrivate'),
    'updatedAt', coalesce(p.meta->>'updatedAt', p.meta->>'approvedAt', to_char(p.indexed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
    'pageAnchors', coalesce((select jsonb_agg(s.anchor order by s.ordinal) from docs_section s where s.page_id = p.id and s.anchor ~ '^operation/'), '[]'::jsonb))
    order by p.path), '[]'::jsonb)
  from docs_page p
  where p.slug !~* '^[a-z][a-z0-9+.-]*:'
$$;

select pa_lock_down();
