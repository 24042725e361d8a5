/** Whether a Redis answers at 127.0.0.1:6379 (CI starts one; tests of several nodes need it). */
import net from 'node:net';

export const REDIS_URL = 'redis://127.0.0.1:6379';

export async function redisUp(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(6379, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
