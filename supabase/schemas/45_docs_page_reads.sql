-- Page reads (the table is 20261126130000_deflection_and_shares.sql's): one counter per docs page per UTC day,
-- nothing about who read it. Only indexed pages are counted, so that the table cannot be filled with made-up paths.

-- Counts one read of the docs page at p_path ("/docs/…", as a reader's URL has it). True when counted. A page whose
-- slug is a full URL (a GitHub thread, a crawled page) is read on another site: never a read of this one's.
create or replace function record_docs_page_read(p_path text) returns boolean
language plpgsql as $$
declare
  v_slug text := case when p_path = '/docs' then '' when p_path like '/docs/%' then substr(p_path, 7) end;
begin
  -- A page, or an API operation's own page (`<slug>/operation/<id>`: pa_docs_section_url).
  if v_slug is null or v_slug ~* '^https?://'
     or not (exists (select 1 from docs_page p where p.slug = v_slug)
             or exists (select 1 from docs_page p join docs_section s on s.page_id = p.id
                        where v_slug ~ '/operation/[^/]+$' and p.slug = regexp_replace(v_slug, '/operation/[^/]+$', '')
                          and s.anchor = substring(v_slug from '(operation/[^/]+)$'))) then
    return false;
  end if;
  insert into docs_page_read (day, path, reads) values ((now() at time zone 'UTC')::date, p_path, 1)
  on conflict (day, path) do update set reads = docs_page_read.reads + 1;
  return true;
end;
$$;

-- Where a page is read: its slug as a URL, as search results and citations have it (docUrl in
-- lib/docs/folder/load.ts): a full URL stays itself, any other slug is under /docs.
create or replace function pa_docs_page_url(p_slug text) returns text
language sql immutable as $$
  select case when p_slug ~* '^https?://' then p_slug when p_slug = '' then '/docs' else '/docs/' || p_slug end
$$;

-- Where a section is read (docUrl in lib/docs/folder/load.ts): its page's URL and its anchor, except that an
-- API operation (anchor `operation/<id>`) on this site is a page of its own, `<page URL>/operation/<id>`.
create or replace function pa_docs_section_url(p_slug text, p_anchor text) returns text
language sql immutable as $$
  select case when coalesce(p_anchor, '') = '' then pa_docs_page_url(p_slug)
              when p_anchor ~ '^operation/[^/#?]+$' and p_slug !~* '^https?://' then pa_docs_page_url(p_slug) || '/' || p_anchor
              else split_part(pa_docs_page_url(p_slug), '#', 1) || '#' || p_anchor end
$$;

select pa_lock_down();
