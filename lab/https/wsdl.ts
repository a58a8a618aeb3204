// Minimal, valid WSDL 1.1 documents for GET …?wsdl: document/literal, one element per message,
// operation names and soapAction values as the real WSDLs declare them (wire-formats §1.2, §2.1, §3.1).
// Element contents are xsd:anyType; the normative schemas are Cisco's (§1.3, §2.2, §3.2).
import { escapeXml } from './xml';

export interface WsdlSpec {
  service: string;
  port: string;
  targetNamespace: string;
  operations: readonly string[];
  location: string;
  soapAction: (op: string) => string;
}

export function renderWsdl(w: WsdlSpec): string {
  const tns = escapeXml(w.targetNamespace);
  const elements = w.operations.flatMap((op) => [
    `<xsd:element name="${op}" type="xsd:anyType"/>`,
    `<xsd:element name="${op}Response" type="xsd:anyType"/>`,
  ]);
  const messages = w.operations.flatMap((op) => [
    `<wsdl:message name="${op}Request"><wsdl:part name="parameters" element="tns:${op}"/></wsdl:message>`,
    `<wsdl:message name="${op}Response"><wsdl:part name="parameters" element="tns:${op}Response"/></wsdl:message>`,
  ]);
  const portOps = w.operations.map(
    (op) => `<wsdl:operation name="${op}"><wsdl:input message="tns:${op}Request"/><wsdl:output message="tns:${op}Response"/></wsdl:operation>`,
  );
  const bindingOps = w.operations.map(
    (op) =>
      `<wsdl:operation name="${op}"><soap:operation soapAction="${escapeXml(w.soapAction(op))}" style="document"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>`,
  );
  return (
    "<?xml version='1.0' encoding='UTF-8'?>" +
    `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="${tns}" targetNamespace="${tns}">` +
    `<wsdl:types><xsd:schema targetNamespace="${tns}" elementFormDefault="qualified">${elements.join('')}</xsd:schema></wsdl:types>` +
    messages.join('') +
    `<wsdl:portType name="${w.port}PortType">${portOps.join('')}</wsdl:portType>` +
    `<wsdl:binding name="${w.port}Binding" type="tns:${w.port}PortType"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>${bindingOps.join('')}</wsdl:binding>` +
    `<wsdl:service name="${w.service}"><wsdl:port name="${w.port}" binding="tns:${w.port}Binding"><soap:address location="${escapeXml(w.location)}"/></wsdl:port></wsdl:service>` +
    '</wsdl:definitions>'
  );
}

export const PERFMON_OPERATIONS = [
  'perfmonOpenSession',
  'perfmonAddCounter',
  'perfmonRemoveCounter',
  'perfmonCollectSessionData',
  'perfmonCloseSession',
  'perfmonCollectCounterData',
  'perfmonListCounter',
  'perfmonListInstance',
  'perfmonQueryCounterDescription',
] as const;

export const CONTROL_CENTER_OPERATIONS = ['soapGetServiceStatus', 'soapGetStaticServiceList', 'getProductInformationList'] as const;

export const AXL_OPERATIONS = ['executeSQLQuery', 'getCCMVersion'] as const;
