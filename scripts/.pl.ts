import { benchPageLoad } from './bench-page-load';
void benchPageLoad({ runs: 5 }).then((r) => console.log(r));
