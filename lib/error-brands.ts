// Error identity that survives bundling. Next compiles instrumentation, each API route and each page into
// separate bundles, each with its own copy of a class: an error thrown by code of the app object (built in
// the instrumentation bundle) fails `instanceof` against the route bundle's class. A brand keyed by a
// registered symbol (Symbol.for is one registry per process) is the same in every copy.

const BRAND = Symbol.for('paste-assistant.error-brand');

export type TErrorBrand = 'AppError' | 'ModelError' | 'ConfigError' | 'InvalidPayloadError' | 'DocParseError' | 'InboxStepError' | 'DiscordApiError' | 'DiscordStepError';

/** Marks an error instance with its kind; called from each branded class's constructor. */
export function brandError(error: Error, brand: TErrorBrand): void {
  Object.defineProperty(error, BRAND, { value: brand, enumerable: false });
}

/** True when `error` was constructed by the branded class `brand`, from any copy of its module. */
export function hasBrand(error: unknown, brand: TErrorBrand): boolean {
  return typeof error === 'object' && error !== null && (error as { [BRAND]?: unknown })[BRAND] === brand;
}
