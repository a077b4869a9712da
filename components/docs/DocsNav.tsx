import type { TNavLinkGroup } from '@/lib/shared/docs';

/** The sidebar: the docs pages grouped by section, the current one marked. */
export function DocsNav({ groups, currentHref }: { groups: TNavLinkGroup[]; currentHref: string }) {
  return (
    <nav aria-label="Documentation">
      {groups.map((group) => (
        <div key={group.label} className="docs-nav-group">
          <h2 className="docs-nav-label">{group.label}</h2>
          <ul className="docs-nav-list">
            {group.pages.map((page) => {
              const isCurrent = page.href === currentHref;
              return (
                <li key={page.href}>
                  <div className="docs-nav-item" data-current={isCurrent ? '' : undefined}>
                    <a className="anchor" href={page.href} aria-current={isCurrent ? 'page' : undefined}>
                      {page.title}
                    </a>
                  </div>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
