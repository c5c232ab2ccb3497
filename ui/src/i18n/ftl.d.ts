// Vite's `?raw` import: a Fluent catalogue's text (ui/src/i18n/index.ts).
declare module "*.ftl?raw" {
  const source: string;
  export default source;
}
