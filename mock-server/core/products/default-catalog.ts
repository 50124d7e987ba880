/**
 * The catalog the fake starts with when none is given: a small subscription shop with the
 * kinds of products Ordergroove merchants sell (consumables on autoship), a mix of live and
 * out-of-stock items, numeric ids like the ones in Ordergroove's article, and the product types
 * Ordergroove knows. Tests and README examples rely on these ids.
 */
import type { ProductSeed } from "./catalog.js";

const created = "2026-01-15 09:30:00";
const coffeeClub = [{ name: "coffee-club", group_type: "eligibility" as const }];

function product(id: string, name: string, price: string, extra: Partial<ProductSeed> = {}): ProductSeed {
  return {
    external_product_id: id,
    name,
    price,
    sku: id
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, "-")
      .slice(0, 32),
    image_url: `https://shop.example.com/img/${id}.jpg`,
    detail_url: `https://shop.example.com/p/${id}`,
    created,
    last_update: created,
    every: 4,
    every_period: 2,
    ...extra,
  };
}

const products: ProductSeed[] = [
  product("166603786142092350", "Daily multivitamin, 90 tablets", "19.99"),
  product("166603786142092351", "Omega-3 fish oil, 120 softgels", "24.50"),
  product("166603786142092352", "Vitamin D3 drops, 30 ml", "12.00", { live: false }),
  product("og-coffee-beans-1kg", "Single-origin coffee beans, 1 kg", "24.99", { sku: "COF-1KG", groups: coffeeClub }),
  product("og-coffee-beans-250g", "Single-origin coffee beans, 250 g", "8.99", { sku: "COF-250G", groups: coffeeClub }),
  product("og-espresso-pods-50", "Espresso pods, box of 50", "17.50", { groups: coffeeClub }),
  product("og-green-tea-100", "Sencha green tea, 100 bags", "11.25"),
  product("og-dog-food-12kg", "Grain-free dog food, 12 kg", "64.90", { every: 1, every_period: 3 }),
  product("og-cat-litter-10l", "Clumping cat litter, 10 l", "15.40", { every: 2, every_period: 2 }),
  product("og-razor-blades-8", "Razor blade refills, 8 pack", "21.00", { every: 1, every_period: 3 }),
  product("og-shave-gel-200", "Sensitive shave gel, 200 ml", "6.75"),
  product("og-toothbrush-heads-4", "Electric toothbrush heads, 4 pack", "18.99", { every: 3, every_period: 3 }),
  product("og-protein-vanilla-2kg", "Whey protein, vanilla, 2 kg", "49.00", { prepaid_eligible: true }),
  product("og-protein-chocolate-2kg", "Whey protein, chocolate, 2 kg", "49.00", { prepaid_eligible: true }),
  product("og-baby-wipes-12x80", "Baby wipes, 12 x 80", "27.60", { every: 2, every_period: 2 }),
  product("og-diapers-size-3", "Diapers, size 3, 144 count", "44.99", { every: 3, every_period: 2 }),
  product("og-laundry-pods-60", "Laundry pods, 60 count", "19.49"),
  product("og-dish-tabs-100", "Dishwasher tablets, 100 count", "22.90"),
  product("og-water-filter-3", "Fridge water filter, 3 pack", "39.99", { every: 6, every_period: 3 }),
  product("og-hand-soap-refill-1l", "Hand soap refill, 1 l", "9.99", { live: false }),
  product("og-breakfast-bundle", "Breakfast bundle: coffee, tea and granola", "39.00", { product_type: "bundle" }),
  product("og-snack-club", "Monthly snack club", "29.00", { product_type: "club", every: 1, every_period: 3 }),
  product("og-discontinued-mints", "Peppermint tins, 6 pack", "7.50", { live: false, discontinued: true }),
  product("og-granola-500g", "Honey almond granola, 500 g", "6.49", {
    autoship_by_default: true,
    groups: [{ name: "breakfast-upsell", group_type: "incentive" }],
  }),
];

/**
 * Frozen all the way down: the fake seeds it without running the validator (a faster start,
 * see Catalog's `seedChecked`), which is only sound while nobody can change it after the test
 * that checks it (test/mock/defaults.test.ts) ran.
 */
export const defaultCatalog: readonly ProductSeed[] = Object.freeze(products.map(freezeProduct));

function freezeProduct(seed: ProductSeed): ProductSeed {
  for (const group of seed.groups ?? []) Object.freeze(group);
  if (seed.groups) Object.freeze(seed.groups);
  return Object.freeze(seed);
}
