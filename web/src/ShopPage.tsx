import { useCallback, useEffect, useState } from 'react';
import { type ApiClient, NetworkError } from './api';
import type { ApiSchema } from './config';
import {
  describeProblem, formatMoney, type Item, orderPayload, parseItems, parseOrder, type PlacedOrder, SchemaMismatch,
} from './shopSchema';

export interface ShopPageProps {
  api: ApiClient;
  schema: ApiSchema;
}

type OrderResult =
  | { outcome: 'ok'; order: PlacedOrder; answeredBy: string | null }
  | { outcome: 'error'; message: string; answeredBy: string | null };

export const DEMO_EMAIL = 'demo@example.com';

/** The shop: the catalogue and an order form, both in the shape of this build's API schema. */
export function ShopPage({ api, schema }: ShopPageProps) {
  const [items, setItems] = useState<Item[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [sku, setSku] = useState('');
  const [quantity, setQuantity] = useState(1);
  const [email, setEmail] = useState(DEMO_EMAIL);
  const [placing, setPlacing] = useState(false);
  const [result, setResult] = useState<OrderResult | null>(null);

  const loadItems = useCallback(async (signal?: AbortSignal) => {
    try {
      const response = await api.get('/api/items', signal);
      if (!response.ok) {
        setLoadError(`Could not load the catalogue: ${describeProblem(response.status, response.body)}`);
        return;
      }
      const loaded = parseItems(schema, response.body);
      setItems(loaded);
      setLoadError(null);
      setSku((current) => current || loaded[0]?.sku || '');
    } catch (error) {
      if (signal?.aborted) {
        return;
      }
      setLoadError(`Could not load the catalogue: ${messageOf(error)}`);
    }
  }, [api, schema]);

  useEffect(() => {
    const controller = new AbortController();
    void loadItems(controller.signal);
    return () => controller.abort();
  }, [loadItems]);

  const placeOrder = async () => {
    setPlacing(true);
    try {
      const response = await api.post('/api/orders', orderPayload(schema, { sku, quantity, email }));
      if (response.status === 201) {
        setResult({ outcome: 'ok', order: parseOrder(schema, response.body), answeredBy: response.backendVersion });
        // The order took stock: show the figure the backend holds now.
        void loadItems();
      } else {
        setResult({ outcome: 'error', message: describeProblem(response.status, response.body), answeredBy: response.backendVersion });
      }
    } catch (error) {
      setResult({ outcome: 'error', message: messageOf(error), answeredBy: null });
    } finally {
      setPlacing(false);
    }
  };

  const names = new Map((items ?? []).map((item) => [item.sku, item.name]));
  return (
    <section className="shop">
      <h2>Catalogue</h2>
      {loadError && <p className="error" data-testid="items-error">{loadError}</p>}
      {items === null && !loadError && <p>Loading…</p>}
      {items && (
        <ul className="items" data-testid="items">
          {items.map((item) => (
            <li key={item.sku} data-testid={`item-${item.sku}`}>
              <span className="item-name">{item.name}</span>
              <span className="item-price">{formatMoney(item.priceMinor, item.currency)}</span>
              <span className="item-stock">{item.inStock} in stock</span>
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="secondary" onClick={() => void loadItems()} data-testid="refresh-items">
        Refresh catalogue
      </button>

      <h2>Order</h2>
      <form
        className="order-form"
        onSubmit={(event) => {
          event.preventDefault();
          void placeOrder();
        }}
      >
        <label>
          Item
          <select value={sku} onChange={(e) => setSku(e.target.value)} data-testid="order-item">
            {(items ?? []).map((item) => (
              <option key={item.sku} value={item.sku}>{item.name}</option>
            ))}
          </select>
        </label>
        <label>
          Quantity
          <input
            type="number" min={1} max={99} value={quantity} data-testid="order-quantity"
            onChange={(e) => setQuantity(Math.max(1, Math.min(99, Number(e.target.value) || 1)))}
          />
        </label>
        {schema === 'v2' && (
          <label>
            E-mail
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="order-email" />
          </label>
        )}
        <button type="submit" disabled={placing || sku === ''} data-testid="place-order">
          {placing ? 'Placing…' : 'Place order'}
        </button>
      </form>

      {result && (
        <p className={`order-result ${result.outcome}`} data-testid="order-result" data-outcome={result.outcome}
          data-answered-by={result.answeredBy ?? ''}>
          {result.outcome === 'ok'
            ? `Order ${result.order.id} placed: ${result.order.lines
              .map((l) => `${l.quantity} × ${names.get(l.sku) ?? l.sku}`).join(', ')}, total ${formatMoney(result.order.totalMinor, result.order.currency)}.`
            : `Order failed: ${result.message}`}
          {result.answeredBy && <span className="answered-by"> Answered by version {result.answeredBy}.</span>}
        </p>
      )}
    </section>
  );
}

function messageOf(error: unknown): string {
  if (error instanceof NetworkError) {
    return 'the server did not answer (network error).';
  }
  if (error instanceof SchemaMismatch) {
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
