import { randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { OTHER_CUSTOMERS_ORDERS, seedOrders, type DemoOrder } from './orders';

/*
 * "Harbor & Pine"'s own order system, as far as the demo assistant's tools need it: the HTTP API
 * that assistants/demo/tools.yaml describes. A stand-in for the business system a real
 * installation connects; npm start runs it, and tests use it as the business's server.
 */

export interface DemoShop {
  url: string;
  /** Requests received, for tests: what the tools actually did. */
  requests: { method: string; path: string; body: unknown; customerId: string | null }[];
  /** The orders of one customer's account (each new customer starts with the seed orders). */
  ordersOf(customerId: string): Map<string, DemoOrder>;
  close(): Promise<void>;
}

type Reply = [status: number, body: unknown];

const RETURN_WINDOW_DAYS = 30;
const PLANS = ['basic', 'plus', 'pro'] as const;
const PLAN_PRICES: Record<string, number> = { basic: 0, plus: 49, pro: 99 };

export async function startDemoShop(options: {
  token: string;
  port?: number;
  host?: string;
}): Promise<DemoShop> {
  // Every customer has their own copy of the demo orders and plan, so one conversation's return
  // or cancellation never changes what another (or a re-run of `parley eval`) finds.
  const accounts = new Map<
    string,
    { orders: Map<string, DemoOrder>; plan: (typeof PLANS)[number] }
  >();
  const account = (customerId: string) => {
    let found = accounts.get(customerId);
    if (!found) {
      found = { orders: new Map(seedOrders().map((o) => [o.id, o])), plan: 'plus' };
      accounts.set(customerId, found);
    }
    return found;
  };
  const requests: DemoShop['requests'] = [];

  const route = (
    method: string,
    path: string,
    body: Record<string, unknown>,
    customerId: string,
  ): Reply => {
    const { orders } = account(customerId);
    const me = account(customerId);
    const orderMatch = /^\/orders\/(ORD-\d{5})(\/cancel|\/address)?$/.exec(path);
    const named = orderMatch?.[1] ?? (typeof body.order_id === 'string' ? body.order_id : null);
    if (named && OTHER_CUSTOMERS_ORDERS.includes(named))
      return [403, { error: 'this order belongs to another customer' }];
    if (orderMatch) {
      const order = orders.get(orderMatch[1]!);
      if (!order || order.cancelled) return [404, { error: 'order not found' }];
      if (method === 'GET' && !orderMatch[2]) {
        return [
          200,
          {
            id: order.id,
            status: order.status,
            total: order.total,
            shipment: {
              carrier: order.carrier ?? null,
              tracking_url: order.trackingUrl ?? null,
              estimated_delivery: order.estimatedDelivery ?? null,
            },
          },
        ];
      }
      if (method === 'POST' && orderMatch[2] === '/cancel') {
        if (order.status !== 'processing') return [409, { error: 'already shipped' }];
        order.cancelled = true;
        return [200, { id: order.id, cancelled: true }];
      }
      if (method === 'PATCH' && orderMatch[2] === '/address') {
        if (order.status !== 'processing') return [409, { error: 'already shipped' }];
        const address = typeof body.address === 'string' ? body.address.trim() : '';
        if (address.length < 8 || !/\d/.test(address))
          return [422, { error: 'address incomplete' }];
        order.address = address;
        return [200, { id: order.id, address }];
      }
    }
    if (method === 'POST' && path === '/returns') {
      const order = orders.get(String(body.order_id));
      if (!order) return [404, { error: 'order not found' }];
      if (order.status !== 'delivered' || order.returnStarted)
        return [409, { error: 'not returnable' }];
      const window = Number(body.window_days ?? RETURN_WINDOW_DAYS);
      if ((order.deliveredDaysAgo ?? 0) > window) {
        return [422, { error: 'outside window', days_since_delivery: order.deliveredDaysAgo }];
      }
      order.returnStarted = true;
      return [
        201,
        {
          id: `RET-${randomUUID().slice(0, 8).toUpperCase()}`,
          label_sent_to: 'the email on your account',
          days_since_delivery: order.deliveredDaysAgo,
        },
      ];
    }
    if (method === 'POST' && path === '/refunds') {
      const order = orders.get(String(body.order_id));
      if (!order) return [404, { error: 'order not found' }];
      if (order.refunded) return [409, { error: 'already refunded' }];
      if (order.status === 'delivered' && !order.returnStarted)
        return [422, { error: 'awaiting return' }];
      order.refunded = true;
      return [
        201,
        {
          id: `RFD-${randomUUID().slice(0, 8).toUpperCase()}`,
          payment_method: 'the original payment method',
        },
      ];
    }
    if (method === 'POST' && path === '/membership/plan') {
      const wanted = String(body.plan) as (typeof PLANS)[number];
      if (!PLANS.includes(wanted)) return [400, { error: 'unknown plan' }];
      if (wanted === me.plan) return [200, { outcome: 'already_on_plan' }];
      const upgrade = PLAN_PRICES[wanted]! > PLAN_PRICES[me.plan]!;
      const due = upgrade ? PLAN_PRICES[wanted]! - PLAN_PRICES[me.plan]! : 0;
      me.plan = wanted;
      return [
        200,
        {
          outcome: upgrade ? 'upgraded' : 'downgrade_scheduled',
          amount_due: due,
          effective_date: upgrade
            ? new Date().toISOString().slice(0, 10)
            : 'your next renewal date',
        },
      ];
    }
    if (method === 'POST' && path === '/billing/disputes') {
      return [201, { id: `CASE-${randomUUID().slice(0, 6).toUpperCase()}` }];
    }
    if (method === 'POST' && path === '/password-resets') return [202, { sent: true }];
    if (method === 'POST' && path === '/callbacks') {
      return [201, { id: `CB-${randomUUID().slice(0, 6).toUpperCase()}` }];
    }
    return [404, { error: `no route ${method} ${path}` }];
  };

  const expected = Buffer.from(`Bearer ${options.token}`);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = ([status, body]: Reply) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const presented = Buffer.from(req.headers.authorization ?? '');
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
        return send([401, { error: 'unauthorized' }]);
      }
      let body: Record<string, unknown> = {};
      try {
        const raw = Buffer.concat(chunks).toString('utf8');
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        return send([400, { error: 'invalid JSON' }]);
      }
      const path = new URL(req.url ?? '/', 'http://shop').pathname;
      const customer = req.headers['x-customer-id'];
      requests.push({
        method: req.method ?? 'GET',
        path,
        body,
        customerId: typeof customer === 'string' ? customer : null,
      });
      send(
        route(
          req.method ?? 'GET',
          path,
          body,
          typeof customer === 'string' ? customer : 'anonymous',
        ),
      );
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    ordersOf: (customerId) => account(customerId).orders,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
