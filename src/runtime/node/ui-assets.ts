/** Node: the connect page's and console's files, bundled from source on first use, once. */
import { buildUiAssets } from '../../ui/build-ui'
import type { UiAssets } from '../../ui/ui-assets'

export function nodeUiAssets(): UiAssets {
  let built: ReturnType<typeof buildUiAssets> | undefined
  return async (name) => {
    if (!built) {
      built = buildUiAssets()
      // A failed build is not kept: the next request tries again.
      built.catch(() => (built = undefined))
    }
    return (await built)[name]
  }
}
