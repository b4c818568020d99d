/**
 * The Stripe step's configs (`nagare:automation type="stripe"`). Text configs may carry data
 * items (`#{q_email}`).
 *
 * | name             | meaning                                                                     |
 * | ---------------- | --------------------------------------------------------------------------- |
 * | `auth`           | required: an authorization setting holding the secret key (kind `token`)   |
 * | `action`         | required: `createCustomer`, `createPaymentIntent`, `createCharge`           |
 * | `email`, `name`, `description` | createCustomer: the customer's; charges: `description`        |
 * | `amount`         | charges: in the currency's smallest unit (yen, cents), required             |
 * | `currency`       | charges: e.g. `jpy`, required                                               |
 * | `customer`       | charges: a customer id (`cus_...`)                                          |
 * | `cardNumberItem` | charges: the string item with the card number; after the call it holds only its last four digits |
 * | `expMonth`, `expYear`, `cvcItem` | the card's expiry and the item with its CVC (cleared after the call) |
 * | `idItem`         | receives the id of what was created (`cus_`, `pi_`, `ch_`)                  |
 * | `statusItem`     | receives the payment's status (`succeeded`, `requires_action`, ...)         |
 * | `errorItem`      | when set, a refusal (card declined, ...) is written here and the step goes on |
 * | `baseUrl`        | default `https://api.stripe.com`                                            |
 */
export const STRIPE_ACTIONS = ['createCustomer', 'createPaymentIntent', 'createCharge'] as const;
export type StripeAction = (typeof STRIPE_ACTIONS)[number];

export function readStripeAction(configs: Readonly<Record<string, string>>): StripeAction | string {
  const action = configs.action?.trim() as StripeAction;
  return STRIPE_ACTIONS.includes(action)
    ? action
    : `config "action" must be one of ${STRIPE_ACTIONS.join(', ')}, got "${configs.action ?? ''}"`;
}
