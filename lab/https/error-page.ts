// Tomcat's HTML error pages on CUCM: the [WIRE] 401 capture (wire-formats §0) is a 2143-byte
// page starting `<!-- custom Cisco error page --><html>`. The rest of the markup is not public;
// this page keeps that first line verbatim and is of the same order of size.

function page(status: number, title: string, message: string): string {
  const css =
    'body{font-family:Arial,Helvetica,sans-serif;background-color:#ffffff;color:#000000;margin:0;padding:0}' +
    '.banner{background-color:#04233a;color:#ffffff;padding:12px 24px;font-size:18px}' +
    '.content{padding:24px;font-size:13px;line-height:1.5}' +
    'h1{font-size:20px;color:#04233a;margin:0 0 12px 0}' +
    '.code{color:#8a8a8a;font-size:12px}' +
    '.footer{border-top:1px solid #d0d0d0;margin:24px;padding-top:8px;color:#8a8a8a;font-size:11px}';
  return (
    '<!-- custom Cisco error page --><html>\n' +
    '<head>\n' +
    `<title>${status} ${title}</title>\n` +
    '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n' +
    '<meta http-equiv="X-UA-Compatible" content="IE=edge">\n' +
    `<style type="text/css">${css}</style>\n` +
    '</head>\n' +
    '<body>\n' +
    '<div class="banner">Cisco Unified Communications Manager</div>\n' +
    '<div class="content">\n' +
    `<h1>HTTP Status ${status} - ${title}</h1>\n` +
    `<p>${message}</p>\n` +
    '<p>If you are an administrator, verify the application user or end user credentials and the roles ' +
    'assigned to them (for example Standard AXL API Access, Standard CCM Admin Users or Standard ' +
    'SERVICEABILITY) in Cisco Unified CM Administration, then retry the request.</p>\n' +
    '<p>If the problem persists, check the Cisco Tomcat security logs (activelog tomcat/logs/security) ' +
    'on this node for the reason the request was refused.</p>\n' +
    '<p>Web service clients (PerfmonService, ControlCenterServices, AXL) must send HTTP Basic credentials ' +
    'with each request, or the JSESSIONIDSSO cookie returned by an earlier authenticated response. A ' +
    'cookie that has been idle for more than 30 minutes is no longer valid; send the credentials again ' +
    'to obtain a new one.</p>\n' +
    `<p class="code">Error code: ${status}</p>\n` +
    '</div>\n' +
    '<div class="footer">Copyright &copy; 1999 - 2024 Cisco Systems, Inc. All rights reserved. ' +
    'Cisco, Cisco Systems and the Cisco logo are registered trademarks of Cisco Systems, Inc. and/or its ' +
    'affiliates in the United States and certain other countries.</div>\n' +
    '</body>\n' +
    '</html>\n'
  );
}

export const UNAUTHORIZED_PAGE = page(
  401,
  'Unauthorized',
  'This request requires HTTP authentication. The user name or password you supplied was not accepted, ' +
    'or the account is not authorised for this resource.',
);

export const NOT_FOUND_PAGE = page(
  404,
  'Not Found',
  'The requested resource is not available. Your single sign-on session may have expired; ' +
    'authenticate again to continue.',
);

export const METHOD_NOT_ALLOWED_PAGE = page(
  405,
  'Method Not Allowed',
  'The specified HTTP method is not allowed for the requested resource. Web services accept POST; ' +
    'append ?wsdl to a GET to read the service description.',
);

export const SERVICE_UNAVAILABLE_PAGE = page(
  503,
  'Service Unavailable',
  'The requested service is not available on this node. AXL requests must be sent to the publisher ' +
    'with the Cisco AXL Web Service activated.',
);

export const PAYLOAD_TOO_LARGE_PAGE = page(413, 'Payload Too Large', 'The request body is larger than this service accepts.');
