/** The demo shop's orders, relative to start-up so return windows hold whenever it runs. */
export interface DemoOrder {
  id: string;
  status: 'processing' | 'shipped' | 'delivered';
  total: number;
  carrier?: string;
  trackingUrl?: string;
  estimatedDelivery?: string;
  deliveredDaysAgo?: number;
  address: string;
  refunded?: boolean;
  returnStarted?: boolean;
  cancelled?: boolean;
}

const day = 86_400_000;
const isoDate = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * day).toISOString().slice(0, 10);

/** Orders of other people's accounts: asking for one is refused (403), as a real shop would. */
export const OTHER_CUSTOMERS_ORDERS = ['ORD-77001', 'ORD-88231'];

export function seedOrders(): DemoOrder[] {
  return [
    {
      id: 'ORD-10482',
      status: 'shipped',
      total: 129.0,
      carrier: 'UPS',
      trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
      estimatedDelivery: isoDate(2),
      address: '12 Harbor Lane, Portland, OR 97201',
    },
    {
      id: 'ORD-55120',
      status: 'processing',
      total: 64.5,
      address: '8 Pine Street, Seattle, WA 98101',
    },
    {
      id: 'ORD-20417',
      status: 'delivered',
      total: 89.0,
      carrier: 'USPS',
      deliveredDaysAgo: 12,
      address: '301 Elm Road, Boise, ID 83702',
    },
    {
      id: 'ORD-30991',
      status: 'delivered',
      total: 240.0,
      carrier: 'FedEx',
      deliveredDaysAgo: 45,
      address: '77 Cedar Court, Eugene, OR 97401',
    },
    {
      id: 'ORD-41250',
      status: 'delivered',
      total: 610.0,
      carrier: 'UPS',
      deliveredDaysAgo: 5,
      address: '5 Spruce Way, Bend, OR 97701',
      returnStarted: true,
    },
  ];
}
