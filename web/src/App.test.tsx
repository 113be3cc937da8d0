import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from './api';
import { App } from './App';
import type { ApiSchema, ClientConfig } from './config';
import { SkewStore } from './skew';
import { StatusFeed } from './statusFeed';
import { EXPIRED, TestBackend, v1Backend, v2Backend } from './testBackend';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

function renderShop(buildId: string, schema: ApiSchema, backend: TestBackend) {
  const config: ClientConfig = { buildId, apiSchema: schema, apiBase: '', statusApiBase: '/_skewless/api/v1' };
  const skew = new SkewStore();
  const api = new ApiClient({
    buildId, fetchImpl: backend.fetch, onSkew: skew.reportSkew, onBackendVersion: skew.reportBackendVersion,
  });
  const onReload = vi.fn();
  const statusFeed = () => new StatusFeed({ baseUrl: config.statusApiBase, buildId, fetchImpl: backend.fetch, openStream: () => null });
  render(<App config={config} api={api} skew={skew} statusFeed={statusFeed} onReload={onReload} />);
  return { onReload };
}

async function placeOrder() {
  fireEvent.click(await screen.findByTestId('place-order'));
  return screen.findByTestId('order-result');
}

describe('the shop on its own version', () => {
  it('shows its build version, loads the catalogue and places an order with no banner', async () => {
    const backend = new TestBackend(v1Backend('v1'));
    renderShop('v1', 'v1', backend);

    expect(screen.getByTestId('build-version').textContent).toBe('v1');
    expect(await screen.findByTestId('item-paper-filters')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('place-order').hasAttribute('disabled')).toBe(false));
    const result = await placeOrder();

    expect(result.getAttribute('data-outcome')).toBe('ok');
    expect(result.textContent).toContain('Order ord-1001 placed: 1 × Espresso beans, 1 kg');
    expect(result.getAttribute('data-answered-by')).toBe('v1');
    expect(screen.getByTestId('backend-version').textContent).toBe('v1');
    expect(screen.queryByTestId('reload-banner')).toBeNull();
  });

  it('sends the build id on every call and the v1 order shape', async () => {
    const backend = new TestBackend(v1Backend('2026.11.20-1'));
    renderShop('2026.11.20-1', 'v1', backend);
    await screen.findByTestId('item-paper-filters');
    await placeOrder();

    // After the order the catalogue is read again, so the stock figure is the backend's.
    await waitFor(() => expect(backend.requests).toHaveLength(3));
    expect(backend.requests.map((r) => [r.method, r.url, r.headers['x-deployment-id']])).toEqual([
      ['GET', '/api/items', '2026.11.20-1'],
      ['POST', '/api/orders', '2026.11.20-1'],
      ['GET', '/api/items', '2026.11.20-1'],
    ]);
    await waitFor(() => expect(screen.getByTestId('item-espresso-beans').textContent).toContain('999 in stock'));
    expect(backend.requests[1]?.body).toEqual({ itemId: 'espresso-beans', quantity: 1 });
  });

  it('a v2 build sends the v2 order shape with the e-mail field', async () => {
    const backend = new TestBackend(v2Backend('v2'));
    renderShop('v2', 'v2', backend);
    await screen.findByTestId('item-espresso-beans');
    fireEvent.change(screen.getByTestId('order-email'), { target: { value: 'ada@example.com' } });
    const result = await placeOrder();

    expect(backend.requests[1]?.body).toEqual({ lines: [{ sku: 'espresso-beans', quantity: 1 }], customer: { email: 'ada@example.com' } });
    expect(result.getAttribute('data-outcome')).toBe('ok');
    expect(screen.queryByTestId('reload-banner')).toBeNull();
  });
});

describe('skew', () => {
  it('a 410 shows the reload banner and keeps the page', async () => {
    const backend = new TestBackend(v1Backend('v1'));
    const { onReload } = renderShop('v1', 'v1', backend);
    await screen.findByTestId('item-paper-filters');
    backend.handler = () => EXPIRED;

    const result = await placeOrder();

    const banner = await screen.findByTestId('reload-banner');
    expect(banner.textContent).toContain('A new version is available — reload');
    expect(banner.textContent).toContain('v2 is live now');
    expect(banner.getAttribute('data-skew')).toBe('expired');
    expect(result.getAttribute('data-outcome')).toBe('error');
    expect(screen.getByTestId('item-paper-filters')).toBeTruthy();
    fireEvent.click(screen.getByTestId('reload-button'));
    expect(onReload).toHaveBeenCalledTimes(1);
  });

  it('an answer from another version shows the banner (a v1 page talking to a v2 backend)', async () => {
    const backend = new TestBackend(v1Backend('v1'));
    renderShop('v1', 'v1', backend);
    await screen.findByTestId('item-paper-filters');
    expect(screen.queryByTestId('reload-banner')).toBeNull();
    backend.handler = v2Backend('v2');

    const result = await placeOrder();

    const banner = await screen.findByTestId('reload-banner');
    expect(banner.getAttribute('data-skew')).toBe('mismatch');
    expect(banner.textContent).toContain('This tab runs version v1, but version v2 answered.');
    expect(result.textContent).toContain('customer.email: required');
    expect(screen.getByTestId('backend-version').textContent).toBe('v2');
  });

  it('a mismatch on the first call shows the banner even when the answer cannot be read', async () => {
    const backend = new TestBackend(v2Backend('v2'));
    renderShop('v1', 'v1', backend);

    expect(await screen.findByTestId('reload-banner')).toBeTruthy();
    expect((await screen.findByTestId('items-error')).textContent).toContain('does not match API schema v1');
  });
});
