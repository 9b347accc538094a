import { UI_TEST_IDS } from './model.ts';
import { jsonMap, setting } from './schemas.ts';

/** How the browser finds the UI's parts. */
export const UI_SETTINGS = {
  UI_SELECTORS: setting({
    at: 'uiSelectors',
    schema: jsonMap('{"login-email":"#email"}', UI_TEST_IDS).default({}),
    fix: "set UI_SELECTORS to a JSON object from the contract's data-testids to this UI's selectors, or unset it",
    differs: ({ uiSelectors }) => (Object.keys(uiSelectors).length === 0 ? undefined : `UI hooks ${Object.keys(uiSelectors).join(', ')} found by UI_SELECTORS`),
  }),
};
