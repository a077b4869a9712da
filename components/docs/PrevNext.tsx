import type { TDocPageLink } from '@/lib/shared/docs';

type TLink = Pick<TDocPageLink, 'href' | 'title'>;

export function PrevNext({ prev, next }: { prev: TLink | null; next: TLink | null }) {
  if (!prev && !next) return null;
  return (
    <nav aria-label="Previous and next pages" className="prev-next">
      <div>
        {prev ? (
          <>
            <div className="caption">Previous</div>
            <a className="anchor" href={prev.href} rel="prev">
              ← {prev.title}
            </a>
          </>
        ) : null}
      </div>
      <div className="prev-next-next">
        {next ? (
          <>
            <div className="caption">Next</div>
            <a className="anchor" href={next.href} rel="next">
              {next.title} →
            </a>
          </>
        ) : null}
      </div>
    </nav>
  );
}
