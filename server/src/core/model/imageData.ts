import type { ImageKnowledge } from './imageTable';

/**
 * The image knowledge table's data (schema in imageTable.ts). Each row was checked against
 * the image's own Dockerfile, entrypoint or published image history (../shared/IMAGES.md);
 * `source` names the repository and file (with lines where they pin the fact).
 *
 * Order matters: the first match wins, so variant rows (`httpd:*alpine*`, `wordpress:cli*`,
 * `php:*fpm*`) come before the family's general row, and version rows are split by the
 * leading major version of the tag (untagged and `latest` count as newest; a tag without a
 * leading number, such as `alpine` or `community`, matches no version row and falls through).
 *
 * Conventions:
 * - `writes` lists the most specific directories known to be written at run time (VOLUME
 *   paths count). An empty list with `readOnlySafe: false` means "not known", not "nothing".
 *   Directories written at run time that also hold shipped files (ES config/, zookeeper /conf)
 *   go to `writesShipped` instead: a tmpfs there would hide the shipped files.
 * - `readOnlySafe` is true only where the writes are fully known from the entrypoint and the
 *   program's defaults, so a read-only root with tmpfs at `writes` starts.
 * - `capabilities` are what the entrypoint needs when it starts as root (chown: CHOWN;
 *   traversing or writing into directories another user owns: DAC_OVERRIDE; chmod/utime of
 *   files it does not own: FOWNER; gosu/su-exec/setpriv/chroot --userspec and server `user`
 *   directives: SETUID + SETGID; chroot: SYS_CHROOT; setcap on a binary: SETFCAP; a binary
 *   with file capabilities (`setcap ...+ep`) cannot even be executed without them).
 * - `uid` is the numeric user even when the image names it (`USER nobody`); `runsAs` is the
 *   spelling the image uses (Kubernetes `runAsNonRoot` refuses a non-numeric one). Where a
 *   major version spelled the user both ways, `runsAs` keeps the name (the safe reading).
 * - `anyUidSafe` is about the image's own entrypoint and default command: true when they need
 *   neither root nor a directory owned by one particular uid (group-0 "OpenShift" layouts are
 *   not any-uid: they need gid 0).
 */
export const IMAGE_DATA: readonly ImageKnowledge[] = [
  // ---------------------------------------------------------------- web servers, proxies
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
    family: 'httpd (alpine)',
    match: ['httpd:*alpine*'],
    startsAs: 'root', runsAs: 'www-data', uid: 82, stepsDown: true,
    writes: ['/usr/local/apache2/logs'], capabilities: ['SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'docker-library/httpd 2.4/alpine/Dockerfile:5 (adduser -u 82 www-data: 82 is www-data in Alpine), 2.4/httpd-foreground',
  },
  {
    family: 'httpd',
    match: ['httpd'],
    startsAs: 'root', runsAs: 'www-data', uid: 33, stepsDown: true,
    writes: ['/usr/local/apache2/logs'], capabilities: ['SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'docker-library/httpd 2.4/Dockerfile:203-208 (User/Group www-data), 2.4/httpd-foreground',
  },
  {
    family: 'caddy builder',
    match: ['caddy:*builder*'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'caddyserver/caddy-docker 2.11/builder/Dockerfile:1 (FROM golang:*-alpine, no USER; a build-stage image)',
  },
  {
    family: 'caddy',
    match: ['caddy'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: ['/data/caddy', '/config/caddy'], capabilities: ['NET_BIND_SERVICE'], readOnlySafe: false, anyUidSafe: true,
    source:
      'caddyserver/caddy-docker 2.11/alpine/Dockerfile:9-16 (mkdir + chmod 1777 /config/caddy /data/caddy), :39 (setcap cap_net_bind_service=+ep /usr/bin/caddy: ' +
      'exec fails with EPERM when NET_BIND_SERVICE is not in the bounding set, even as root; caddyserver/caddy-docker#466), :44-45 (XDG_CONFIG_HOME=/config, XDG_DATA_HOME=/data)',
  },
  {
    family: 'traefik',
    match: ['traefik'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source:
      'traefik/traefik-library-image v3.6/alpine/Dockerfile:21-22 (no USER), v3.6/alpine/entrypoint.sh (exec traefik, writes nothing); ' +
      'the Docker provider reads /var/run/docker.sock, which an arbitrary uid cannot',
  },
  {
    family: 'haproxy 2.4-2.9',
    match: ['haproxy:2.4*', 'haproxy:2.5*', 'haproxy:2.6*', 'haproxy:2.7*', 'haproxy:2.8*', 'haproxy:2.9*'],
    startsAs: 'nonroot', runsAs: 'haproxy', uid: 99, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: true,
    source: 'docker-library/haproxy 2.6/Dockerfile (useradd --uid 99 haproxy; USER haproxy since 2.4: commit ae10fbf "Add HAProxy 2.4"), docker-entrypoint.sh (exec haproxy -W -db)',
  },
  {
    family: 'haproxy',
    match: ['haproxy'],
    versions: { min: 3 },
    startsAs: 'nonroot', runsAs: 'haproxy', uid: 99, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: true,
    source: 'docker-library/haproxy 3.2/Dockerfile:20-31 (groupadd/useradd --uid 99 haproxy), :110 (USER haproxy), :113 (WORKDIR /var/lib/haproxy); docker-entrypoint.sh',
  },

  // ---------------------------------------------------------------- databases, caches, queues
  {
    family: 'postgres (alpine) <= 17',
    match: ['postgres:*alpine*'],
    versions: { max: 17 },
    startsAs: 'root', runsAs: 'postgres', uid: 70, stepsDown: true,
    writes: ['/var/lib/postgresql/data', '/var/run/postgresql', '/tmp'], capabilities: ['CHOWN', 'FOWNER', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'docker-library/postgres 17/alpine3.22/Dockerfile:9-13 (adduser -u 70 postgres), :191 (3777 /var/run/postgresql), :193-196 (PGDATA, VOLUME); docker-entrypoint.sh',
  },
  {
    family: 'postgres (alpine) 18+',
    match: ['postgres:*alpine*'],
    versions: { min: 18 },
    startsAs: 'root', runsAs: 'postgres', uid: 70, stepsDown: true,
    writes: ['/var/lib/postgresql', '/var/run/postgresql', '/tmp'], capabilities: ['CHOWN', 'FOWNER', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'docker-library/postgres 18/alpine*/Dockerfile (adduser -u 70 postgres; PGDATA /var/lib/postgresql/18/docker, VOLUME /var/lib/postgresql); docker-entrypoint.sh',
  },
  {
    family: 'postgres <= 17',
    match: ['postgres'],
    versions: { max: 17 },
    startsAs: 'root', runsAs: 'postgres', uid: 999, stepsDown: true,
    writes: ['/var/lib/postgresql/data', '/var/run/postgresql', '/tmp'], capabilities: ['CHOWN', 'FOWNER', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'docker-library/postgres 17/bookworm/Dockerfile:13 (useradd --uid=999), :182 (3777 /var/run/postgresql), :184-187 (PGDATA /var/lib/postgresql/data, VOLUME); docker-entrypoint.sh (chown, exec gosu postgres)',
  },
  {
    family: 'postgres 18+',
    match: ['postgres'],
    versions: { min: 18 },
    startsAs: 'root', runsAs: 'postgres', uid: 999, stepsDown: true,
    writes: ['/var/lib/postgresql', '/var/run/postgresql', '/tmp'], capabilities: ['CHOWN', 'FOWNER', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'docker-library/postgres 18/trixie/Dockerfile:13 (useradd --uid=999), :186 (3777 /var/run/postgresql), :189-192 (PGDATA /var/lib/postgresql/18/docker, VOLUME /var/lib/postgresql); docker-entrypoint.sh',
  },
  {
    family: 'postgres (alpine) 18+',
    match: ['postgres:alpine', 'postgres:alpine3*'],
    startsAs: 'root', runsAs: 'postgres', uid: 70, stepsDown: true,
    writes: ['/var/lib/postgresql', '/var/run/postgresql', '/tmp'], capabilities: ['CHOWN', 'FOWNER', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'docker-library/official-images library/postgres (the bare alpine tags are the newest major, 18); docker-library/postgres 18/alpine*/Dockerfile',
  },
  {
    family: 'postgres 18+',
    match: ['postgres:bookworm', 'postgres:trixie'],
    startsAs: 'root', runsAs: 'postgres', uid: 999, stepsDown: true,
    writes: ['/var/lib/postgresql', '/var/run/postgresql', '/tmp'], capabilities: ['CHOWN', 'FOWNER', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'docker-library/official-images library/postgres (the bare suite tags are the newest major, 18); docker-library/postgres 18/trixie/Dockerfile:186-192',
  },
  {
    family: 'redis',
    match: ['redis'],
    versions: { max: 7 },
    startsAs: 'root', runsAs: 'redis', uid: 999, stepsDown: true,
    writes: ['/data'], capabilities: ['CHOWN', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source:
      'docker-library/redis 7.4/debian/Dockerfile, 7.4/alpine/Dockerfile (useradd/adduser -u 999 redis), 7.2/debian/docker-entrypoint.sh ' +
      '(set -e; find . ! -user redis -exec chown redis, exec gosu redis; then umask 0077, so an appendonlydir is 0700 and root needs DAC_OVERRIDE to traverse it on restart)',
  },
  {
    family: 'redis 8+',
    match: ['redis'],
    versions: { min: 8 },
    startsAs: 'root', runsAs: 'redis', uid: 999, stepsDown: true,
    writes: ['/data', '/tmp'], capabilities: ['CHOWN', 'FOWNER', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source:
      'redis/docker-library-redis debian/docker-entrypoint.sh (exec setpriv --reuid redis only if has_cap setuid && has_cap setgid, otherwise it stays root; ' +
      'fix_perms_and_owner: chown redis + chmod u+rw on data files redis cannot use, a warning when refused; REDIS_PASSWORD goes to /tmp/requirepass.conf when /tmp is writable)',
  },
  {
    family: 'mysql',
    match: ['mysql'],
    startsAs: 'root', runsAs: 'mysql', uid: 999, stepsDown: true,
    writes: ['/var/lib/mysql', '/var/run/mysqld', '/tmp'], capabilities: ['CHOWN', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source:
      'docker-library/mysql */Dockerfile.oracle (chmod 1777 /var/lib/mysql /var/run/mysqld), 8.4/docker-entrypoint.sh:2 (set -eo pipefail), ' +
      ':206-210 (find datadir ! -user mysql -exec chown: traverses the 0750 schema directories mysqld created), :378-380 (exec gosu mysql)',
  },
  {
    family: 'mariadb',
    match: ['mariadb'],
    startsAs: 'root', runsAs: 'mysql', uid: 999, stepsDown: true,
    writes: ['/var/lib/mysql', '/run/mysqld', '/tmp'], capabilities: ['CHOWN', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source:
      'MariaDB/mariadb-docker */Dockerfile, main/docker-entrypoint.sh:2 (set -eo pipefail), :206-213 (find $DATADIR ! -user mysql -exec chown: traverses ' +
      'directories mariadbd created), :697-699 (exec gosu mysql)',
  },
  {
    family: 'mongo',
    match: ['mongo'],
    startsAs: 'root', runsAs: 'mongodb', uid: 999, stepsDown: true,
    // mongod's default unix socket is /tmp/mongodb-27017.sock; the entrypoint's temporary config and pid files go to $TMPDIR (/tmp)
    writes: ['/data/db', '/data/configdb', '/tmp'], capabilities: ['CHOWN', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source:
      'docker-library/mongo 8.0/Dockerfile:11-14 (useradd --uid 999 mongodb), :111 (VOLUME /data/db /data/configdb); ' +
      '8.0/docker-entrypoint.sh:12-22 (find /data/configdb /data/db ! -user mongodb -exec chown, exec gosu mongodb; set -e, so the find must traverse 0700 data dirs), :177-179 (TMPDIR files)',
  },
  {
    family: 'rabbitmq (alpine)',
    match: ['rabbitmq:*alpine*'],
    startsAs: 'root', runsAs: 'rabbitmq', uid: 100, stepsDown: true,
    writes: ['/var/lib/rabbitmq', '/var/log/rabbitmq'], capabilities: ['CHOWN', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source: 'docker-library/rabbitmq 4.1/alpine/Dockerfile:238-239 (addgroup -g 101, adduser -u 100 rabbitmq), 4.1/alpine/docker-entrypoint.sh (find ! -user rabbitmq -exec chown, exec su-exec rabbitmq)',
  },
  {
    family: 'rabbitmq',
    match: ['rabbitmq'],
    startsAs: 'root', runsAs: 'rabbitmq', uid: 999, stepsDown: true,
    writes: ['/var/lib/rabbitmq', '/var/log/rabbitmq'], capabilities: ['CHOWN', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source:
      'docker-library/rabbitmq 4.1/ubuntu/Dockerfile:228-232 (useradd --uid 999 rabbitmq; chmod 1777 data, /etc/rabbitmq, log dirs), :310 (VOLUME /var/lib/rabbitmq); ' +
      '4.1/ubuntu/docker-entrypoint.sh:5-10 (find /var/lib/rabbitmq ! -user rabbitmq -exec chown, exec gosu rabbitmq)',
  },
  {
    family: 'memcached',
    match: ['memcached'],
    startsAs: 'nonroot', runsAs: 'memcache', uid: 11211, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: true, anyUidSafe: true,
    source: 'docker-library/memcached 1/debian/Dockerfile:11-12 (useradd --uid 11211 memcache), :98 (USER memcache); 1/alpine/Dockerfile:11-12, :87; docker-entrypoint.sh (exec only, nothing written)',
  },
  {
    family: 'zookeeper',
    match: ['zookeeper'],
    startsAs: 'root', runsAs: 'zookeeper', uid: 1000, stepsDown: true,
    writes: ['/data', '/datalog', '/logs'], writesShipped: ['/conf'], capabilities: ['CHOWN', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source:
      '31z4/zookeeper-docker 3.9.4/Dockerfile:3-6 (ZOO_CONF_DIR=/conf, ZOO_DATA_DIR=/data, ZOO_DATA_LOG_DIR=/datalog, ZOO_LOG_DIR=/logs), :18-19 (useradd --uid=1000), :75 (VOLUME); ' +
      '3.9.4/Dockerfile:70 (the distribution conf/ moved into /conf), 3.9.4/docker-entrypoint.sh (chown -R, exec gosu zookeeper; writes /conf/zoo.cfg when absent and /data/myid)',
  },
  {
    family: 'influxdb 3',
    match: ['influxdb:3*', 'influxdb:core', 'influxdb:enterprise'],
    startsAs: 'nonroot', runsAs: 'influxdb3', uid: 1500, stepsDown: false,
    writes: ['/var/lib/influxdb3', '/home/influxdb3/.influxdb3', '/plugins'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'influxdata/influxdata-docker influxdb/3.11-core/Dockerfile:13-14 (useradd --uid 1500 influxdb3), :37 (chown /var/lib/influxdb3 /plugins), :45 (USER influxdb3), INFLUXDB3_DATA_DIR',
  },
  {
    family: 'influxdb 2',
    match: ['influxdb:2*', 'influxdb:latest', 'influxdb:alpine'],
    startsAs: 'root', runsAs: 'influxdb', uid: 1000, stepsDown: true,
    writes: ['/var/lib/influxdb2', '/etc/influxdb2'], capabilities: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source:
      'influxdata/influxdata-docker influxdb/2.9/Dockerfile (useradd --uid=1000 influxdb; VOLUME /var/lib/influxdb2 /etc/influxdb2); ' +
      'influxdb/2.9/entrypoint.sh (create_directories: chmod 700 + find ! -user influxdb -exec chown; :507 exec setpriv --reuid=influxdb); official-images library/influxdb: latest and alpine are 2.9',
  },

  // ---------------------------------------------------------------- search, logging, monitoring
  {
    family: 'elasticsearch <= 7',
    match: ['docker.elastic.co/elasticsearch/elasticsearch', 'elasticsearch'],
    versions: { max: 7 },
    startsAs: 'root', runsAs: '1000', uid: 1000, stepsDown: true,
    writes: ['/usr/share/elasticsearch/data', '/usr/share/elasticsearch/logs', '/tmp'],
    writesShipped: ['/usr/share/elasticsearch/config'],
    capabilities: ['SYS_CHROOT', 'SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source:
      'elastic/dockerfiles branch 7.17 elasticsearch/bin/docker-entrypoint.sh:7-16,33-34 (exec chroot --userspec=1000:0 /), :76-79 (chown -R 1000:0 data logs only with TAKE_FILE_OWNERSHIP: then CHOWN too); ' +
      'elasticsearch/Dockerfile:98 (adduser --uid 1000), no USER',
  },
  {
    family: 'elasticsearch 8',
    match: ['docker.elastic.co/elasticsearch/elasticsearch', 'elasticsearch'],
    versions: { min: 8, max: 8 },
    startsAs: 'nonroot', runsAs: 'elasticsearch', uid: 1000, stepsDown: false,
    writes: ['/usr/share/elasticsearch/data', '/usr/share/elasticsearch/logs', '/tmp'],
    writesShipped: ['/usr/share/elasticsearch/config'],
    capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source:
      'elastic/dockerfiles branches 8.0-8.7 elasticsearch/Dockerfile (USER elasticsearch:root), 8.8-8.19 (USER 1000:0; useradd --uid 1000); ' +
      'bin/docker-entrypoint.sh (keystore created in config/; security auto-configuration writes config/)',
  },
  {
    family: 'elasticsearch 9+',
    match: ['docker.elastic.co/elasticsearch/elasticsearch', 'elasticsearch'],
    versions: { min: 9 },
    startsAs: 'nonroot', runsAs: '1000', uid: 1000, stepsDown: false,
    writes: ['/usr/share/elasticsearch/data', '/usr/share/elasticsearch/logs', '/tmp'],
    writesShipped: ['/usr/share/elasticsearch/config'],
    capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source:
      'elastic/dockerfiles branch 9.2 elasticsearch/Dockerfile:73-74 (adduser -u 1000 -G 0), :98 (chown elasticsearch data logs config plugins), :138 (USER 1000:0); ' +
      'bin/docker-entrypoint.sh (elasticsearch-keystore create in config/)',
  },
  {
    family: 'kibana <= 8',
    match: ['docker.elastic.co/kibana/kibana', 'kibana'],
    versions: { max: 8 },
    startsAs: 'nonroot', runsAs: 'kibana', uid: 1000, stepsDown: false,
    writes: ['/usr/share/kibana/data', '/tmp'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'elastic/dockerfiles branches 6.7-8.11 kibana/Dockerfile (useradd --uid 1000 kibana; USER kibana), 8.12-8.19 (USER 1000); kibana/bin/kibana-docker (umask 0002, group-0 layout)',
  },
  {
    family: 'kibana 9+',
    match: ['docker.elastic.co/kibana/kibana', 'kibana'],
    versions: { min: 9 },
    startsAs: 'nonroot', runsAs: '1000', uid: 1000, stepsDown: false,
    writes: ['/usr/share/kibana/data', '/tmp'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'elastic/dockerfiles branch 9.2 kibana/Dockerfile:101-102 (useradd --uid 1000 -G 0 kibana), :142 (USER 1000)',
  },
  {
    family: 'logstash',
    match: ['docker.elastic.co/logstash/logstash', 'logstash'],
    versions: { min: 7 },
    startsAs: 'nonroot', runsAs: '1000', uid: 1000, stepsDown: false,
    writes: ['/usr/share/logstash/data', '/tmp'], writesShipped: ['/usr/share/logstash/config'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source:
      'elastic/dockerfiles branch 9.2 logstash/Dockerfile:21-22 (adduser --uid 1000 logstash), :51 (USER 1000) (same in 6.8, 7.2-9.2); ' +
      'logstash/bin/docker-entrypoint (env2yaml rewrites config/logstash.yml in place)',
  },
  {
    family: 'grafana',
    match: ['grafana/grafana', 'grafana/grafana-oss', 'grafana/grafana-enterprise'],
    versions: { min: 6 },
    startsAs: 'nonroot', runsAs: '472', uid: 472, stepsDown: false,
    writes: ['/var/lib/grafana', '/var/log/grafana'], capabilities: [], readOnlySafe: true, anyUidSafe: false,
    source: 'grafana/grafana Dockerfile (ARG GF_UID="472", GF_PATHS_DATA=/var/lib/grafana, GF_PATHS_LOGS=/var/log/grafana, USER "$GF_UID"; 472 since 5.1, before that uid 104)',
  },
  {
    family: 'prometheus',
    match: ['prom/prometheus', 'quay.io/prometheus/prometheus'],
    versions: { min: 2 },
    startsAs: 'nonroot', runsAs: 'nobody', uid: 65534, stepsDown: false,
    writes: ['/prometheus'], capabilities: [], readOnlySafe: true, anyUidSafe: false,
    source: 'prometheus/prometheus Dockerfile (2.x and later: chown -R nobody /etc/prometheus /prometheus, USER nobody, VOLUME ["/prometheus"]; 1.x images ran as root or USER prometheus)',
  },
  {
    family: 'telegraf',
    // non-root step-down since November 2021 (influxdata-docker 069df69, rebuilt 1.18-1.20): only tags from 1.21 on are certain
    match: [...Array.from({ length: 19 }, (_, i) => `telegraf:1.${21 + i}*`), 'telegraf:latest', 'telegraf:alpine'],
    startsAs: 'root', runsAs: 'telegraf', uid: null, stepsDown: true,
    writes: [], capabilities: ['SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: true,
    source:
      'influxdata/influxdata-docker telegraf/1.39/Dockerfile (no USER; telegraf user from the .deb, uid not fixed), telegraf/1.39/entrypoint.sh ' +
      '(non-root: exec directly; root: setcap cap_net_raw,cap_net_bind_service+ep || echo, then exec setpriv --reuid telegraf)',
  },

  // ---------------------------------------------------------------- CI, code quality, identity, data
  {
    family: 'jenkins',
    match: ['jenkins/jenkins'],
    startsAs: 'nonroot', runsAs: 'jenkins', uid: 1000, stepsDown: false,
    writes: ['/var/jenkins_home', '/tmp'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'jenkinsci/docker debian/Dockerfile:93-99 (ARG user=jenkins uid=1000 JENKINS_HOME=/var/jenkins_home), :116 (VOLUME $JENKINS_HOME), :148 (USER ${user}); jenkins.sh',
  },
  {
    family: 'sonarqube',
    match: ['sonarqube'],
    versions: { min: 8 },
    startsAs: 'nonroot', runsAs: 'sonarqube', uid: 1000, stepsDown: false,
    writes: ['/opt/sonarqube/data', '/opt/sonarqube/extensions', '/opt/sonarqube/logs', '/opt/sonarqube/temp'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'SonarSource/docker-sonarqube community-build/Dockerfile:33 (useradd --uid 1000 --gid 0 sonarqube), :66 (VOLUME data extensions logs temp), :73 (USER sonarqube; since 7.9.1, commit 82aff07)',
  },
  {
    family: 'sonarqube',
    match: ['sonarqube:community', 'sonarqube:developer', 'sonarqube:enterprise', 'sonarqube:datacenter-*', 'sonarqube:lts-*'],
    startsAs: 'nonroot', runsAs: 'sonarqube', uid: 1000, stepsDown: false,
    writes: ['/opt/sonarqube/data', '/opt/sonarqube/extensions', '/opt/sonarqube/logs', '/opt/sonarqube/temp'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'SonarSource/docker-sonarqube commercial-editions/*/Dockerfile and community-build/Dockerfile (USER sonarqube, uid 1000); official-images library/sonarqube tags',
  },
  {
    family: 'keycloak',
    match: ['quay.io/keycloak/keycloak'],
    versions: { min: 17 },
    startsAs: 'nonroot', runsAs: '1000', uid: 1000, stepsDown: false,
    writes: ['/opt/keycloak/data'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'keycloak/keycloak quarkus/container/Dockerfile (COPY --chown=1000:0 /opt/keycloak, chmod -R g+rwX, mkdir /opt/keycloak/data, USER 1000)',
  },
  {
    family: 'minio',
    match: ['minio/minio', 'quay.io/minio/minio'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: ['/data'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'minio/minio Dockerfile.release:70 (VOLUME ["/data"], no USER), dockerscripts/docker-entrypoint.sh (switches user only with the deprecated MINIO_USERNAME)',
  },
  {
    family: 'trino',
    match: ['trinodb/trino'],
    startsAs: 'nonroot', runsAs: 'trino', uid: 1000, stepsDown: false,
    writes: ['/data/trino', '/tmp'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'trinodb/trino core/docker/Dockerfile (useradd trino --uid 1000; chown /data/trino; USER trino:trino), core/docker/default/etc/node.properties (node.data-dir=/data/trino)',
  },
  {
    family: 'cp-kafka',
    match: ['confluentinc/cp-kafka', 'confluentinc/cp-server'],
    startsAs: 'nonroot', runsAs: 'appuser', uid: 1000, stepsDown: false,
    writes: ['/var/lib/kafka/data', '/var/log/kafka'], writesShipped: ['/etc/kafka'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source:
      'confluentinc/kafka-images kafka/Dockerfile.ubi9:95-101 (dirs chowned ${APP_UID}:root, VOLUME /var/lib/kafka/data /etc/kafka/secrets, USER ${APP_UID}); ' +
      'branches <= 8.1 USER appuser; confluentinc/common-docker base-java-micro/Dockerfile.ubi9 (APP_UID=1000), base/Dockerfile.ubi8 (useradd appuser); kafka/include/etc/confluent/docker/configure (renders /etc/kafka/*.properties)',
  },
  {
    family: 'selenium',
    match: ['selenium/standalone-*', 'selenium/node-*'],
    startsAs: 'nonroot', runsAs: '1200', uid: 1200, stepsDown: false,
    writes: ['/tmp', '/var/run/supervisor', '/var/log/supervisor'], writesShipped: ['/home/seluser', '/opt/selenium'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'SeleniumHQ/docker-selenium Base/Dockerfile:16-20 (SEL_USER=seluser UID=1200 GID=1201), :99-106 (writable dirs), :148 (USER ${SEL_UID}:${SEL_GID}); NodeBase/Dockerfile:156, Standalone/Dockerfile:8 (USER ${SEL_UID})',
  },

  // ---------------------------------------------------------------- secrets, service mesh, registries
  {
    family: 'vault',
    match: ['hashicorp/vault', 'vault'],
    startsAs: 'root', runsAs: 'vault', uid: null, stepsDown: true,
    writes: ['/vault/config', '/vault/logs', '/vault/file', '/home/vault'], capabilities: ['CHOWN', 'SETFCAP', 'SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source:
      'hashicorp/vault Dockerfile (adduser -S vault: uid not fixed; VOLUME /vault/logs /vault/file), .release/docker/docker-entrypoint.sh ' +
      '(chown -R vault /vault/*; setcap cap_ipc_lock=+ep on the binary under set -e unless SKIP_SETCAP, so a read-only root stops it there; su-exec vault; ' +
      'the default CMD server -dev writes ~/.vault-token); hashicorp/docker-vault 0.X for the old library image',
  },
  {
    family: 'consul (ubi)',
    match: ['hashicorp/consul:*ubi*'],
    startsAs: 'nonroot', runsAs: '100', uid: 100, stepsDown: false,
    writes: ['/consul/data', '/consul/config'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'hashicorp/consul Dockerfile target ubi (adduser --uid 100 consul, chgrp -R 0 /consul, USER 100)',
  },
  {
    family: 'consul',
    match: ['hashicorp/consul', 'consul'],
    startsAs: 'root', runsAs: 'consul', uid: null, stepsDown: true,
    writes: ['/consul/data', '/consul/config'], capabilities: ['CHOWN', 'SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source:
      'hashicorp/consul Dockerfile target default (adduser -S consul: uid not fixed; VOLUME /consul/data), .release/docker/docker-entrypoint.sh ' +
      '(writes /consul/config/local.json from CONSUL_LOCAL_CONFIG, chown data/config dirs, su-exec consul); hashicorp/docker-consul 0.X for the old library image',
  },
  {
    family: 'registry',
    match: ['registry'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: ['/var/lib/registry'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'distribution/distribution-library-image Dockerfile:29 (VOLUME ["/var/lib/registry"], no USER), config-example.yml (storage.filesystem.rootdirectory), entrypoint.sh (exec only)',
  },
  {
    family: 'vaultwarden',
    match: ['vaultwarden/server', 'quay.io/vaultwarden/server'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: ['/data'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'dani-garcia/vaultwarden docker/Dockerfile.debian:156-173 (ROCKET_PORT=80, mkdir /data, VOLUME /data, no USER), docker/start.sh (exec /vaultwarden)',
  },

  // ---------------------------------------------------------------- PHP applications
  {
    family: 'wordpress cli',
    match: ['wordpress:cli*'],
    startsAs: 'nonroot', runsAs: 'www-data', uid: 82, stepsDown: false,
    writes: ['/var/www/html'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'docker-library/wordpress cli/php8.4/alpine/Dockerfile:7 (FROM php:8.4-alpine: www-data is 82), :127 (VOLUME /var/www/html), :132 (USER www-data)',
  },
  {
    family: 'wordpress fpm (alpine)',
    match: ['wordpress:*fpm-alpine*'],
    startsAs: 'root', runsAs: 'www-data', uid: 82, stepsDown: true,
    writes: ['/var/www/html', '/tmp'], capabilities: ['CHOWN', 'FOWNER', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source: 'docker-library/wordpress latest/php8.4/fpm-alpine/Dockerfile (FROM php:*-fpm-alpine, VOLUME /var/www/html), docker-entrypoint.sh:4-66 (php-fpm: chown ., tar --owner www-data); php-fpm pool user www-data',
  },
  {
    family: 'wordpress fpm',
    match: ['wordpress:*fpm*'],
    startsAs: 'root', runsAs: 'www-data', uid: 33, stepsDown: true,
    writes: ['/var/www/html', '/tmp'], capabilities: ['CHOWN', 'FOWNER', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source: 'docker-library/wordpress latest/php8.4/fpm/Dockerfile:7 (FROM php:8.4-fpm), :149 (VOLUME /var/www/html); docker-entrypoint.sh:4-66; php-fpm pool user www-data',
  },
  {
    family: 'wordpress',
    match: ['wordpress'],
    startsAs: 'root', runsAs: 'www-data', uid: 33, stepsDown: true,
    writes: ['/var/run/apache2', '/var/lock/apache2', '/tmp', '/var/www/html'], capabilities: ['CHOWN', 'FOWNER', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source:
      'docker-library/wordpress latest/php8.*/apache/Dockerfile (VOLUME /var/www/html), docker-entrypoint.sh:28-66 (as root: chown ., then tar extracts with --owner www-data ' +
      'into the www-data-owned directory without --no-overwrite-dir, so it sets times/modes on files it does not own)',
  },
  {
    family: 'php-apache',
    match: ['php:*apache*'],
    startsAs: 'root', runsAs: 'www-data', uid: 33, stepsDown: true,
    writes: ['/var/run/apache2', '/var/lock/apache2', '/tmp'], capabilities: ['SETUID', 'SETGID'], readOnlySafe: true, anyUidSafe: false,
    source: 'docker-library/php */apache/Dockerfile, apache2-foreground; Debian /etc/apache2/envvars',
  },
  {
    family: 'php-fpm (alpine)',
    match: ['php:*fpm*alpine*'],
    startsAs: 'root', runsAs: 'www-data', uid: 82, stepsDown: true,
    writes: ['/tmp'], capabilities: ['SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source: 'docker-library/php 8.4/alpine3.23/fpm/Dockerfile:30-33 (adduser -u 82 www-data), :163-164 (--with-fpm-user=www-data), :226-245 (error_log stderr, daemonize no)',
  },
  {
    family: 'php-fpm',
    match: ['php:*fpm*'],
    startsAs: 'root', runsAs: 'www-data', uid: 33, stepsDown: true,
    writes: ['/tmp'], capabilities: ['SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source: 'docker-library/php 8.4/trixie/fpm/Dockerfile:48-49 (/var/www/html www-data 1777), :175-176 (--with-fpm-user=www-data); master root, pool workers www-data',
  },
  {
    family: 'nextcloud fpm (alpine)',
    match: ['nextcloud:*fpm-alpine*'],
    startsAs: 'root', runsAs: 'www-data', uid: 82, stepsDown: true,
    writes: ['/var/www/html', '/tmp'], capabilities: ['CHOWN', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source: 'nextcloud/docker 34/fpm-alpine/Dockerfile:2 (FROM php:8.5-fpm-alpine3.24), :128 (VOLUME /var/www/html); docker-entrypoint.sh (rsync -rlDog --chown as root, su -p www-data)',
  },
  {
    family: 'nextcloud fpm',
    match: ['nextcloud:*fpm*'],
    startsAs: 'root', runsAs: 'www-data', uid: 33, stepsDown: true,
    writes: ['/var/www/html', '/tmp'], capabilities: ['CHOWN', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source: 'nextcloud/docker 34/fpm/Dockerfile:2 (FROM php:8.5-fpm-trixie), :135 (VOLUME /var/www/html); docker-entrypoint.sh (rsync -rlDog --chown as root, su -p www-data)',
  },
  {
    family: 'nextcloud',
    match: ['nextcloud'],
    startsAs: 'root', runsAs: 'www-data', uid: 33, stepsDown: true,
    writes: ['/var/run/apache2', '/var/lock/apache2', '/tmp', '/var/www/html'], capabilities: ['CHOWN', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source:
      'nextcloud/docker 34/apache/Dockerfile:2 (FROM php:8.5-apache-trixie), :132-135 (chown -R www-data:root /var/www, VOLUME /var/www/html); ' +
      'docker-entrypoint.sh:14-16 (su -p www-data), :200-212 (rsync -rlDog --chown www-data into www-data-owned directories)',
  },
  {
    family: 'drupal fpm (alpine)',
    match: ['drupal:*fpm-alpine*'],
    startsAs: 'root', runsAs: 'www-data', uid: 82, stepsDown: true,
    writes: ['/tmp'], writesShipped: ['/opt/drupal/web/sites', '/opt/drupal/web/modules', '/opt/drupal/web/themes'], capabilities: ['SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source: 'docker-library/drupal 11.4/php8.5/fpm-alpine3.24/Dockerfile:8 (FROM php:8.5-fpm-alpine3.24), chown -R www-data web/sites web/modules web/themes; no entrypoint of its own',
  },
  {
    family: 'drupal fpm',
    match: ['drupal:*fpm*'],
    startsAs: 'root', runsAs: 'www-data', uid: 33, stepsDown: true,
    writes: ['/tmp'], writesShipped: ['/opt/drupal/web/sites', '/opt/drupal/web/modules', '/opt/drupal/web/themes'], capabilities: ['SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source: 'docker-library/drupal 11.4/php8.5/fpm-*/Dockerfile (FROM php:*-fpm), chown -R www-data web/sites web/modules web/themes',
  },
  {
    family: 'drupal',
    match: ['drupal'],
    startsAs: 'root', runsAs: 'www-data', uid: 33, stepsDown: true,
    writes: ['/var/run/apache2', '/var/lock/apache2', '/tmp'],
    writesShipped: ['/opt/drupal/web/sites', '/opt/drupal/web/modules', '/opt/drupal/web/themes'],
    capabilities: ['SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source: 'docker-library/drupal 11.4/php8.5/apache-trixie/Dockerfile:8 (FROM php:8.5-apache-trixie), :87 (WORKDIR /opt/drupal), :93 (chown -R www-data:www-data web/sites web/modules web/themes)',
  },
  {
    family: 'mediawiki fpm (alpine)',
    match: ['mediawiki:*fpm-alpine*'],
    startsAs: 'root', runsAs: 'www-data', uid: 82, stepsDown: true,
    writes: ['/var/www/data', '/tmp'], writesShipped: ['/var/www/html/images', '/var/www/html/cache'], capabilities: ['SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source: 'wikimedia/mediawiki-docker 1.46/fpm-alpine/Dockerfile (FROM php:*-fpm-alpine; chown www-data images cache /var/www/data)',
  },
  {
    family: 'mediawiki fpm',
    match: ['mediawiki:*fpm*'],
    startsAs: 'root', runsAs: 'www-data', uid: 33, stepsDown: true,
    writes: ['/var/www/data', '/tmp'], writesShipped: ['/var/www/html/images', '/var/www/html/cache'], capabilities: ['SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source: 'wikimedia/mediawiki-docker 1.46/fpm/Dockerfile:1 (FROM php:8.3-fpm), :107 (CMD php-fpm)',
  },
  {
    family: 'mediawiki',
    match: ['mediawiki'],
    startsAs: 'root', runsAs: 'www-data', uid: 33, stepsDown: true,
    writes: ['/var/run/apache2', '/var/lock/apache2', '/tmp', '/var/www/data'],
    writesShipped: ['/var/www/html/images', '/var/www/html/cache'],
    capabilities: ['SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source: 'wikimedia/mediawiki-docker 1.46/apache/Dockerfile:1 (FROM php:8.3-apache), :85-86 (/var/www/data www-data), :117 (chown www-data extensions skins cache images), :122 (CMD apache2-foreground)',
  },
  {
    family: 'adminer',
    match: ['adminer'],
    startsAs: 'nonroot', runsAs: 'adminer', uid: null, stepsDown: false,
    writes: ['/var/www/html/plugins-enabled', '/tmp'], writesShipped: ['/var/www/html'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'TimWolla/docker-adminer 5/Dockerfile, 6/Dockerfile (addgroup -S/adduser -S adminer: uid not fixed; chown -R adminer /var/www/html; USER adminer), 5/entrypoint.sh (writes plugins-enabled/*.php, and .adminer-init and an adminer.css link next to the shipped index.php)',
  },
  {
    family: 'ghost',
    match: ['ghost'],
    startsAs: 'root', runsAs: 'node', uid: 1000, stepsDown: true,
    writes: ['/var/lib/ghost/content', '/tmp'], capabilities: ['CHOWN', 'DAC_OVERRIDE', 'SETUID', 'SETGID'], readOnlySafe: false, anyUidSafe: false,
    source: 'TryGhost/docker-library-ghost 6/bookworm/Dockerfile:7 (FROM node:22-bookworm-slim: node is uid 1000), :49 (GHOST_CONTENT), :92 (VOLUME); 6/bookworm/docker-entrypoint.sh (find ! -user node -exec chown, exec gosu node)',
  },

  // ---------------------------------------------------------------- vendor base images
  {
    family: 'bitnami (non-root)',
    match: ['bitnami/postgresql', 'bitnami/redis', 'bitnami/nginx', 'bitnami/mongodb', 'bitnami/mysql'],
    startsAs: 'nonroot', runsAs: '1001', uid: 1001, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source:
      'bitnami/containers bitnami/{postgresql/17,redis/7.4,nginx/1.27,mongodb/8.0,mysql/8.4}/debian-12/Dockerfile (USER 1001; chmod g+rwX /opt/bitnami: group-0 layout). ' +
      'Not every bitnami/* image is non-root (bitnami/git has no USER)',
  },
  {
    family: 'bitnami git',
    match: ['bitnami/git'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'bitnami/containers bitnami/git/2/debian-12/Dockerfile (no USER)',
  },
  {
    family: 'distroless nonroot',
    match: ['gcr.io/distroless/*:*nonroot*'],
    startsAs: 'nonroot', runsAs: '65532', uid: 65532, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: true,
    source: 'GoogleContainerTools/distroless common/variables.bzl:18 (NONROOT = 65532), static/static.bzl:11,63 (nonroot variant: user = "%d" % uid), README.md (nonroot, debug-nonroot tags)',
  },
  {
    family: 'distroless',
    match: ['gcr.io/distroless/*'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: true,
    source: 'GoogleContainerTools/distroless static/static.bzl:11 (root variant uid 0 for latest/debug), no entrypoint script',
  },
  {
    family: 'chainguard static',
    match: ['cgr.dev/chainguard/static'],
    startsAs: 'nonroot', runsAs: '65532', uid: 65532, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: true,
    source: 'chainguard-images/images images/static/configs/latest.apko.yaml (accounts nonroot uid 65532, run-as: 65532)',
  },

  // ---------------------------------------------------------------- language runtimes
  {
    family: 'node',
    match: ['node'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: true,
    source: 'nodejs/docker-node 24/bookworm/Dockerfile:3-4 (user node uid 1000 created, not used: no USER), :73-75 (docker-entrypoint.sh, CMD node); docker-entrypoint.sh (exec only)',
  },
  {
    family: 'python',
    match: ['python'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: true,
    source: 'docker-library/python 3.*/trixie/Dockerfile (no USER, no ENTRYPOINT, CMD ["python3"])',
  },
  {
    family: 'ruby',
    match: ['ruby'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: true,
    source: 'docker-library/ruby 4.0/trixie/Dockerfile:102-109 (GEM_HOME /usr/local/bundle chmod 1777 "for running gem install as an arbitrary user"), :111 (CMD irb, no USER)',
  },
  {
    family: 'golang',
    match: ['golang'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'docker-library/golang tip/trixie/Dockerfile:135-140 (GOPATH /go chmod 1777, no USER); the build cache defaults to $HOME/.cache, not writable for an arbitrary uid',
  },
  {
    family: 'eclipse-temurin',
    match: ['eclipse-temurin'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: ['/tmp'], capabilities: [], readOnlySafe: false, anyUidSafe: true,
    source: 'adoptium/containers 21/jre/ubuntu/noble/Dockerfile:108-109 (ENTRYPOINT /__cacert_entrypoint.sh, no USER), entrypoint.sh (non-root: temporary truststore in $TMPDIR); JVM hsperfdata in /tmp',
  },
  {
    family: 'openjdk',
    match: ['openjdk'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: ['/tmp'], capabilities: [], readOnlySafe: false, anyUidSafe: true,
    source: 'docker-library/openjdk 27/bookworm/Dockerfile:96 (CMD ["jshell"], no USER, no ENTRYPOINT); JVM hsperfdata in /tmp',
  },

  // ---------------------------------------------------------------- operating system bases
  {
    family: 'busybox',
    match: ['busybox'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'docker-library/busybox latest-1/musl/Dockerfile (FROM scratch, ADD busybox.tar.gz /, CMD ["sh"], no USER)',
  },
  {
    family: 'alpine',
    match: ['alpine'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'alpinelinux/docker-alpine branch v3.19 x86_64/Dockerfile (FROM scratch, ADD alpine-minirootfs, CMD ["/bin/sh"], no USER)',
  },
  {
    family: 'debian',
    match: ['debian'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'docker-library/repo-info repos/debian/remote/*.md (image history: ADD rootfs.tar.xz /, CMD ["bash"], no USER); built from debuerreotype/docker-debian-artifacts',
  },
  {
    family: 'ubuntu',
    match: ['ubuntu'],
    startsAs: 'root', runsAs: null, uid: null, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'docker-library/repo-info repos/ubuntu/remote/24.04.md (image history: ADD file in /, CMD ["/bin/bash"], no USER)',
  },
];
