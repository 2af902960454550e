declare const __BULKHEAD_VERSION__: string | undefined;

/** Set by the bundler from package.json. */
export const VERSION: string = typeof __BULKHEAD_VERSION__ === 'string' ? __BULKHEAD_VERSION__ : '0.0.0-dev';
