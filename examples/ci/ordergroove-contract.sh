#!/bin/sh
# The same check as ordergroove-contract.yml, for any CI system: run it on a schedule from your
# repository's root, next to a committed og-profile.json (record it once with
# `npx og-contract --target sandbox --record og-profile.json`). Needs the kit and vitest installed:
# `npm install -D ordergroove-stock-kit vitest`.
#   Credentials: OG_PUBLIC_ID, OG_SIG_FIELD, OG_HASH_KEY and/or OG_API_KEY (from the CI's secret store)
#   Products:    OG_CONTRACT_PRODUCT_IDS=id1,id2 (existing sandbox products; toggled and restored)
#   Optional:    OG_CONTRACT_TARGET (default sandbox), OG_PROFILE (default og-profile.json),
#                OG_CONTRACT_JUNIT (default og-contract.xml), OG_PROFILE_NEW (default og-profile.new.json),
#                OG_CONTRACT (default "npx og-contract")
# Exit code: 0 all well, 1 the contract is broken, 2 drift from the profile only, 64 bad usage,
# 69 the target could not be reached (nothing was tested).
# Publish the JUnit file with your CI's test report step; the fresh profile is what the target does now.
set -u
: "${OG_CONTRACT_PRODUCT_IDS:?set OG_CONTRACT_PRODUCT_IDS to two existing sandbox product ids}"
profile="${OG_PROFILE:-og-profile.json}"
fresh="${OG_PROFILE_NEW:-og-profile.new.json}"
${OG_CONTRACT:-npx og-contract} --target "${OG_CONTRACT_TARGET:-sandbox}" --compare "$profile" \
  --record "$fresh" --junit "${OG_CONTRACT_JUNIT:-og-contract.xml}"
status=$?
case $status in
  0) echo "ordergroove-contract: the contract holds and the target does what $profile says." ;;
  1) echo "ordergroove-contract: the contract is broken; see the failing clause above." >&2 ;;
  2) echo "ordergroove-contract: drift from $profile; if the change is right, commit $fresh as $profile." >&2 ;;
  69) echo "ordergroove-contract: the target could not be reached, so nothing was tested: see above." >&2 ;;
  64) echo "ordergroove-contract: bad usage (missing credentials or product ids, or $profile missing or not a valid profile): see above." >&2 ;;
esac
exit $status
