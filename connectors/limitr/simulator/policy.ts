/**
 * The account's active policy, which the cloud pushes when a client sends
 * `{"type":"policy","id":"active","format":"bstf"}`. Real clients receive BSTF (Stof's binary
 * format), which only the Stof WASM runtime reads; the simulator sends the UTF-8 bytes of the
 * policy's JSON in that binary frame instead, and the same JSON as a text frame for `format:"json"`
 * (the `{policy:{plans,…}}` shape the SDK's `update_policy_internals` accepts). A users connector
 * needs neither: they exist so a client's start-up handshake completes.
 */

export const ACTIVE_POLICY_ID = 'active'

export function policyDocument(accountPolicyId: string): Record<string, unknown> {
  return {
    policy: {
      id: accountPolicyId,
      credits: {
        token: { label: 'AI tokens', unit: 'token' },
        call: { label: 'API calls', unit: 'call' },
        seat: { label: 'Seats', unit: 'seat' },
        usd: { label: 'US dollars', currency: true },
        eur: { label: 'Euros', currency: true },
      },
      plans: {
        free: {
          label: 'Free',
          entitlements: { ai_tokens: { credit: 'token', limit: 100_000 }, api_calls: { credit: 'call', limit: 1_000 } },
        },
        starter: {
          label: 'Starter',
          entitlements: { ai_tokens: { credit: 'token', limit: 1_000_000 }, api_calls: { credit: 'call', limit: 10_000 } },
        },
        pro: {
          label: 'Pro',
          entitlements: { ai_tokens: { credit: 'token', limit: 5_000_000 }, api_calls: { credit: 'call', limit: 100_000 } },
        },
        team: { label: 'Team', entitlements: { seats: { credit: 'seat', limit: 25 }, ai_tokens: { credit: 'token', limit: 50_000_000 } } },
        enterprise: {
          label: 'Enterprise',
          entitlements: { seats: { credit: 'seat', limit: 500 }, ai_tokens: { credit: 'token', limit: 1_000_000_000 } },
        },
      },
    },
  }
}
