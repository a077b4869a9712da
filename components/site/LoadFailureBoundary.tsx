import { Component, type ReactNode } from 'react';

/**
 * Around a part whose code loads on demand (React.lazy): if that code fails to load (the network, or a chunk gone
 * after a deploy), `fallback` stands in its place, as next/dynamic's loader did, instead of the error unmounting
 * the whole page.
 */
export class LoadFailureBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { hasFailed: boolean }> {
  state = { hasFailed: false };

  static getDerivedStateFromError(): { hasFailed: boolean } {
    return { hasFailed: true };
  }

  render(): ReactNode {
    return this.state.hasFailed ? this.props.fallback : this.props.children;
  }
}
