// Checks that MySQL/MariaDB and Redis answer before anything starts, and explains
// what to do when one does not (instead of a stack trace from deep inside a service).
import net from 'node:net';

function tcpProbe(host, port, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function redisAnswers(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(String(data))));
    socket.once('error', () => done(false));
  });
}

export async function preflight(env) {
  const problems = [];
  const mysqlHost = env.MYSQL_HOST ?? '127.0.0.1';
  const mysqlPort = Number(env.MYSQL_PORT ?? 3306);
  if (!(await tcpProbe(mysqlHost, mysqlPort))) {
    problems.push(
      [
        `MySQL/MariaDB is not reachable at ${mysqlHost}:${mysqlPort} (MYSQL_HOST, MYSQL_PORT).`,
        '  Start one, for example:',
        '    sudo start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd',
        '    docker run -d -p 3306:3306 -e MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1 mariadb:11',
        '  or point MYSQL_HOST, MYSQL_PORT, MYSQL_USER and MYSQL_PASSWORD at yours.',
      ].join('\n'),
    );
  }
  const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!(await redisAnswers(redisUrl))) {
    problems.push(
      [
        `Redis is not reachable at ${redisUrl} (REDIS_URL).`,
        '  Start one, for example:',
        '    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
        '    docker run -d -p 6379:6379 redis:7',
        '  or point REDIS_URL at yours.',
      ].join('\n'),
    );
  }
  return problems;
}
