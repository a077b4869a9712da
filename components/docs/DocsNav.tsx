import type { TNavLink, TNavLinkGroup } from '@/lib/shared/docs';

function NavList({ pages, currentHref, isNested = false }: { pages: TNavLink[]; currentHref: string; isNested?: boolean }) {
  return (
    <ul className={isNested ? 'docs-nav-list docs-nav-sublist' : 'docs-nav-list'}>
      {pages.map((page) => {
        const isCurrent = page.href === currentHref;
        return (
          <li key={page.href}>
            <div className="docs-nav-item" data-current={isCurrent ? '' : undefined}>
              <a className="anchor" href={page.href} aria-current={isCurrent ? 'page' : undefined}>
                {page.title}
              </a>
            </div>
            {page.children && page.children.length > 0 ? <NavList pages={page.children} currentHref={currentHref} isNested /> : null}
          </li>
        );
      })}
    </ul>
  );
}

/** The sidebar: the docs pages grouped by section, a page's own pages under it (where given), the current one marked. */
export function DocsNav({ groups, currentHref }: { groups: TNavLinkGroup[]; currentHref: string }) {
  return (
    <nav aria-label="Documentation">
      {groups.map((group) => (
        <div key={group.label} className="docs-nav-group">
          <h2 className="docs-nav-label">{group.label}</h2>
          <NavList pages={group.pages} currentHref={currentHref} />
        </div>
      ))}
    </nav>
  );
}
