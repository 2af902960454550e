import { testRule } from '../../helpers/testRule';

/** encrypted-overlay-network: overlay networks (and, in a stack, networks without driver and the implicit default) without `encrypted`. */

const named = (n: string) => `Network '${n}' is an overlay without encryption: traffic between services on different nodes crosses the network in clear`;
const IMPLICIT = "The stack's default network is an overlay without encryption: traffic between services on different nodes crosses the network in clear";
const FIX = 'Encrypt it: driver_opts: {encrypted: "true"} (IPsec between nodes; costs throughput)';
const FIX_DEFAULT = 'Declare the default network encrypted: networks: {default: {driver_opts: {encrypted: "true"}}} (IPsec between nodes; costs throughput)';
const svc = 'services:\n  web:\n    image: nginx:1.27\n    networks: [back]\n';

testRule('encrypted-overlay-network', {
  accept: [
    { name: 'bridge network', path: 'compose.yaml', code: svc + 'networks:\n  back:\n    driver: bridge\n' },
    { name: 'no driver outside a stack', path: 'compose.yaml', code: svc + 'networks:\n  back: {}\n' },
    { name: 'implicit default outside a stack', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx:1.27\n' },
    { name: 'encrypted key present, any value', path: 'compose.yaml', code: svc + 'networks:\n  back:\n    driver: overlay\n    driver_opts:\n      encrypted: ""\n' },
    { name: 'external overlay is not judged', path: 'app-stack.yml', code: svc + 'networks:\n  back:\n    external: true\n' },
    { name: 'stack: the default network declared encrypted', path: 'app-stack.yml', code: 'services:\n  web:\n    image: nginx:1.27\nnetworks:\n  default:\n    driver_opts:\n      encrypted: "true"\n' },
    { name: 'stack: services all on declared networks', path: 'app-stack.yml', code: svc + 'networks:\n  back:\n    driver_opts: {encrypted: "1"}\n' },
  ],
  reject: [
    {
      name: 'driver: overlay',
      path: 'compose.yaml',
      code: svc + 'networks:\n  back:\n    driver: overlay\n',
      message: named('back'),
      range: { start: [5, 2], end: [5, 6] },
      severity: 'info',
      fixes: [FIX],
      fixed: svc + 'networks:\n  back:\n    driver: overlay\n    driver_opts:\n      encrypted: "true"\n',
    },
    {
      name: 'existing driver_opts kept',
      path: 'compose.yaml',
      code: svc + 'networks:\n  back:\n    driver: overlay\n    driver_opts:\n      com.docker.network.driver.mtu: "1400"\n',
      message: named('back'),
      range: { start: [5, 2], end: [5, 6] },
      fixed: svc + 'networks:\n  back:\n    driver: overlay\n    driver_opts:\n      com.docker.network.driver.mtu: "1400"\n      encrypted: "true"\n',
    },
    {
      name: 'stack: a network without driver',
      path: 'app-stack.yml',
      code: "version: '3.8'\n" + svc + 'networks:\n  back: {}\n',
      message: named('back'),
      range: { start: [6, 2], end: [6, 6] },
      fixed: "version: '3.8'\n" + svc + 'networks:\n  back: {driver_opts: {encrypted: "true"}}\n',
    },
    {
      name: 'stack: the implicit default network',
      path: 'app-stack.yml',
      code: "version: '3.8'\nservices:\n  web:\n    image: nginx:1.27\n",
      message: IMPLICIT,
      range: { start: [2, 2], end: [2, 5] },
      fixes: [FIX_DEFAULT],
      fixed: "version: '3.8'\nservices:\n  web:\n    image: nginx:1.27\nnetworks:\n  default:\n    driver_opts:\n      encrypted: \"true\"\n",
    },
    {
      name: 'stack by setting, CRLF',
      path: 'compose.yaml',
      config: { compose: { target: 'stack' } },
      code: (svc + 'networks:\n  back:\n    driver: overlay\n    attachable: true\n').replace(/\n/g, '\r\n'),
      message: named('back'),
      range: { start: [5, 2], end: [5, 6] },
      fixed: (svc + 'networks:\n  back:\n    driver: overlay\n    attachable: true\n    driver_opts:\n      encrypted: "true"\n').replace(/\n/g, '\r\n'),
    },
    {
      name: 'v2 file',
      path: 'docker-compose.yml',
      code: "version: '2.4'\n" + svc + 'networks:\n  back:\n    driver: overlay\n',
      message: named('back'),
      range: { start: [6, 2], end: [6, 6] },
      fixed: "version: '2.4'\n" + svc + 'networks:\n  back:\n    driver: overlay\n    driver_opts:\n      encrypted: "true"\n',
    },
  ],
});
