import type { ImageKnowledge } from './imageTable';

/**
 * The image knowledge table's data (schema in imageTable.ts). Each row was checked against
 * the image's own Dockerfile or entrypoint (../shared/IMAGES.md); `source` names the file.
 * More specific entries come first: the first match wins.
 */
export const IMAGE_DATA: readonly ImageKnowledge[] = [
  {
    family: 'nginx-unprivileged',
    match: ['nginxinc/nginx-unprivileged', 'nginx/nginx-unprivileged'],
    startsAs: 'nonroot', runsAs: '101', uid: 101, stepsDown: false,
    writes: ['/tmp'], capabilities: [], readOnlySafe: true, anyUidSafe: false,
    source: 'nginxinc/docker-nginx-unprivileged mainline/debian/Dockerfile (user nginx removed, pid /tmp/nginx.pid)',
  },
  {
    family: 'nginx',
    match: ['nginx'],
    startsAs: 'root', runsAs: 'nginx', uid: 101, stepsDown: true,
    writes: ['/var/cache/nginx', '/var/run'], capabilities: ['CHOWN', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'nginxinc/docker-nginx mainline/debian/Dockerfile; entrypoint/20-envsubst-on-templates.sh; nginx src/core/ngx_file.c',
  },
  {
    family: 'httpd',
    match: ['httpd'],
    startsAs: 'root', runsAs: 'www-data', uid: 33, stepsDown: true,
    writes: ['/usr/local/apache2/logs'], capabilities: ['SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'docker-library/httpd 2.4/Dockerfile, 2.4/httpd-foreground',
  },
  {
    family: 'postgres',
    match: ['postgres'],
    startsAs: 'root', runsAs: 'postgres', uid: 999, stepsDown: true,
    writes: ['/var/lib/postgresql/data', '/var/run/postgresql', '/tmp'], capabilities: ['CHOWN', 'FOWNER', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'docker-library/postgres 18/bookworm/Dockerfile, docker-entrypoint.sh',
  },
  {
    family: 'wordpress',
    match: ['wordpress'],
    startsAs: 'root', runsAs: 'www-data', uid: 33, stepsDown: true,
    writes: ['/var/run/apache2', '/var/lock/apache2', '/tmp', '/var/www/html'], capabilities: ['CHOWN', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'docker-library/wordpress latest/php8.*/apache/Dockerfile, docker-entrypoint.sh',
  },
  {
    family: 'php-apache',
    match: ['php:*apache*'],
    startsAs: 'root', runsAs: 'www-data', uid: 33, stepsDown: true,
    writes: ['/var/run/apache2', '/var/lock/apache2', '/tmp'], capabilities: ['SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'docker-library/php */apache/Dockerfile, apache2-foreground; Debian /etc/apache2/envvars',
  },
  {
    family: 'redis',
    match: ['redis'],
    versions: { max: 7 },
    startsAs: 'root', runsAs: 'redis', uid: 999, stepsDown: true,
    writes: ['/data'], capabilities: ['CHOWN', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'docker-library/redis docker-entrypoint.sh (chown, exec gosu redis)',
  },
  {
    family: 'redis 8+',
    match: ['redis'],
    versions: { min: 8 },
    startsAs: 'root', runsAs: 'redis', uid: 999, stepsDown: true,
    writes: ['/data'], capabilities: ['SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'redis/docker-library-redis debian/docker-entrypoint.sh (setpriv only with SETUID and SETGID)',
  },
  {
    family: 'mysql',
    match: ['mysql'],
    startsAs: 'root', runsAs: 'mysql', uid: 999, stepsDown: true,
    writes: ['/var/lib/mysql', '/var/run/mysqld', '/tmp'], capabilities: ['CHOWN', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'docker-library/mysql */Dockerfile.oracle, docker-entrypoint.sh',
  },
  {
    family: 'mariadb',
    match: ['mariadb'],
    startsAs: 'root', runsAs: 'mysql', uid: 999, stepsDown: true,
    writes: ['/var/lib/mysql', '/run/mysqld', '/tmp'], capabilities: ['CHOWN', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'MariaDB/mariadb-docker */Dockerfile, docker-entrypoint.sh',
  },
  {
    family: 'grafana',
    match: ['grafana/grafana', 'grafana/grafana-oss', 'grafana/grafana-enterprise'],
    startsAs: 'nonroot', runsAs: '472', uid: 472, stepsDown: false,
    writes: ['/var/lib/grafana', '/var/log/grafana'], capabilities: [], readOnlySafe: true, anyUidSafe: false,
    source: 'grafana/grafana Dockerfile (ARG GF_UID="472", USER "$GF_UID")',
  },
  {
    family: 'prometheus',
    match: ['prom/prometheus', 'quay.io/prometheus/prometheus'],
    startsAs: 'nonroot', runsAs: 'nobody', uid: 65534, stepsDown: false,
    writes: ['/prometheus'], capabilities: [], readOnlySafe: true, anyUidSafe: false,
    source: 'prometheus/prometheus Dockerfile (USER nobody, VOLUME ["/prometheus"])',
  },
];
