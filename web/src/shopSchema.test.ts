import { describe, expect, it } from 'vitest';
import { describeProblem, orderPayload, parseItems, parseOrder, SchemaMismatch } from './shopSchema';

describe('order payloads follow the build schema', () => {
  const draft = { sku: 'paper-filters', quantity: 3, email: ' ada@example.com ' };

  it('v1 orders one item, flat', () => {
    expect(orderPayload('v1', draft)).toEqual({ itemId: 'paper-filters', quantity: 3 });
  });

  it('v2 orders a list of lines and names the customer', () => {
    expect(orderPayload('v2', draft)).toEqual({
      lines: [{ sku: 'paper-filters', quantity: 3 }],
      customer: { email: 'ada@example.com' },
    });
  });
});

describe('answers are read in the build schema', () => {
  const v1Items = { items: [{ id: 'espresso-beans', name: 'Espresso beans, 1 kg', price: 24.5, currency: 'EUR', stock: 40 }] };
  const v2Items = { items: [{ sku: 'espresso-beans', title: 'Espresso beans, 1 kg', price: { amountMinor: 2450, currency: 'EUR' }, inStock: 40 }], count: 1 };
  const expected = [{ sku: 'espresso-beans', name: 'Espresso beans, 1 kg', priceMinor: 2450, currency: 'EUR', inStock: 40 }];

  it('reads items of its own schema', () => {
    expect(parseItems('v1', v1Items)).toEqual(expected);
    expect(parseItems('v2', v2Items)).toEqual(expected);
  });

  it('refuses items of the other schema', () => {
    expect(() => parseItems('v1', v2Items)).toThrow(SchemaMismatch);
    expect(() => parseItems('v2', v1Items)).toThrow(/API schema v2/);
    expect(() => parseItems('v1', { nope: 1 })).toThrow(/no items list/);
  });

  it('reads placed orders of each schema', () => {
    expect(parseOrder('v1', { orderId: 'ord-1001', itemId: 'paper-filters', quantity: 3, total: 19.5, currency: 'EUR', status: 'confirmed' }))
      .toEqual({ id: 'ord-1001', lines: [{ sku: 'paper-filters', quantity: 3 }], totalMinor: 1950, currency: 'EUR' });
    expect(parseOrder('v2', {
      order: { id: 'ord-1002', lines: [{ sku: 'a', quantity: 1 }, { sku: 'b', quantity: 2 }], total: { amountMinor: 700, currency: 'EUR' } },
    })).toEqual({ id: 'ord-1002', lines: [{ sku: 'a', quantity: 1 }, { sku: 'b', quantity: 2 }], totalMinor: 700, currency: 'EUR' });
    expect(() => parseOrder('v1', { order: { id: 'ord-1' } })).toThrow(SchemaMismatch);
  });

  it('summarises problem bodies with every field error', () => {
    expect(describeProblem(422, {
      detail: 'The order does not match API schema v2 of version v2.',
      errors: [{ field: 'lines', message: 'required' }, { field: 'customer.email', message: 'required' }],
    })).toBe('The order does not match API schema v2 of version v2. lines: required; customer.email: required');
    expect(describeProblem(410, { error: 'version_expired', message: 'gone' })).toBe('gone');
    expect(describeProblem(502, 'Bad gateway')).toBe('HTTP 502');
  });
});
