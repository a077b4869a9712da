-- A crawled page's <title> as served, so that the part every page of a site shares ("… | Acme Docs") can be
-- found across the crawl's pages, also when only one page is fetched again (lib/docs/crawl/titles.ts).
alter table docs_crawl_page add column if not exists html_title text;

select pa_lock_down();
