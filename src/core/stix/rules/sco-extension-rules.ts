/** Rule table of the predefined cyber-observable extensions (section 6, `*-ext`). */
import type { IssueSink } from '../issues.js';
import type { JsonRecord, ObjectShape } from './property-spec.js';
import { atLeastOne, bool, closed, dict, hashes, hex, int, list, num, object, open, ref, refs, str, strs, ts } from './property-spec.js';
import * as V from './vocabularies.js';

/** Section 6.12.5: socket option keys start with SO_ and their values are integers. */
function checkSocketOptions(value: JsonRecord, sink: IssueSink, path: string): void {
  const options = value['options'];
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return;
  for (const [key, v] of Object.entries(options)) {
    if (!key.startsWith('SO_')) sink.error('invalid-format', `${path}.options.${key}`, 'socket option names must start with SO_');
    if (!Number.isInteger(v)) sink.error('invalid-type', `${path}.options.${key}`, 'socket option values must be integers');
  }
}

const anyOf = (shape: Omit<ObjectShape, 'constraints'>): ObjectShape => ({ ...shape, constraints: [atLeastOne(...Object.keys(shape.properties))] });

const PE_SECTION: ObjectShape = { name: 'windows-pe-section', properties: { name: str, size: int(0), entropy: num(), hashes }, required: ['name'] };
const PE_OPTIONAL_HEADER: ObjectShape = anyOf({
  name: 'windows-pe-optional-header-type',
  properties: {
    magic_hex: hex, major_linker_version: int(), minor_linker_version: int(), size_of_code: int(0), size_of_initialized_data: int(0),
    size_of_uninitialized_data: int(0), address_of_entry_point: int(), base_of_code: int(), base_of_data: int(), image_base: int(),
    section_alignment: int(), file_alignment: int(), major_os_version: int(), minor_os_version: int(), major_image_version: int(),
    minor_image_version: int(), major_subsystem_version: int(), minor_subsystem_version: int(), win32_version_value_hex: hex,
    size_of_image: int(0), size_of_headers: int(0), checksum_hex: hex, subsystem_hex: hex, dll_characteristics_hex: hex,
    size_of_stack_reserve: int(0), size_of_stack_commit: int(0), size_of_heap_reserve: int(0), size_of_heap_commit: int(0),
    loader_flags_hex: hex, number_of_rva_and_sizes: int(), hashes,
  },
});
const ALTERNATE_DATA_STREAM: ObjectShape = { name: 'alternate-data-stream-type', properties: { name: str, hashes, size: int(0) }, required: ['name'] };

export const SCO_EXTENSION_RULES: Readonly<Record<string, ObjectShape>> = {
  'archive-ext': { name: 'archive-ext', properties: { contains_refs: refs(['file', 'directory']), comment: str }, required: ['contains_refs'] },
  'ntfs-ext': anyOf({ name: 'ntfs-ext', properties: { sid: str, alternate_data_streams: list(object(ALTERNATE_DATA_STREAM)) } }),
  'pdf-ext': anyOf({ name: 'pdf-ext', properties: { version: str, is_optimized: bool, document_info_dict: dict, pdfid0: str, pdfid1: str } }),
  'raster-image-ext': anyOf({ name: 'raster-image-ext', properties: { image_height: int(0), image_width: int(0), bits_per_pixel: int(0), exif_tags: dict } }),
  'windows-pebinary-ext': {
    name: 'windows-pebinary-ext', required: ['pe_type'],
    properties: {
      pe_type: open('windows-pebinary-type-ov', V.WINDOWS_PEBINARY_TYPE_OV), imphash: str, machine_hex: hex, number_of_sections: int(0),
      time_date_stamp: ts, pointer_to_symbol_table_hex: hex, number_of_symbols: int(0), size_of_optional_header: int(0),
      characteristics_hex: hex, file_header_hashes: hashes, optional_header: object(PE_OPTIONAL_HEADER), sections: list(object(PE_SECTION)),
    },
  },
  'http-request-ext': {
    name: 'http-request-ext', required: ['request_method', 'request_value'],
    properties: { request_method: str, request_value: str, request_version: str, request_header: dict, message_body_length: int(0), message_body_data_ref: ref(['artifact']) },
  },
  'icmp-ext': { name: 'icmp-ext', properties: { icmp_type_hex: hex, icmp_code_hex: hex }, required: ['icmp_type_hex', 'icmp_code_hex'] },
  'socket-ext': {
    name: 'socket-ext', required: ['address_family'], constraints: [{ kind: 'check', check: checkSocketOptions }],
    properties: {
      address_family: closed('network-socket-address-family-enum', V.NETWORK_SOCKET_ADDRESS_FAMILY_ENUM), is_blocking: bool, is_listening: bool,
      options: { kind: 'any' }, socket_type: closed('network-socket-type-enum', V.NETWORK_SOCKET_TYPE_ENUM), socket_descriptor: int(0), socket_handle: int(),
    },
  },
  'tcp-ext': anyOf({ name: 'tcp-ext', properties: { src_flags_hex: hex, dst_flags_hex: hex } }),
  'windows-process-ext': anyOf({
    name: 'windows-process-ext',
    properties: {
      aslr_enabled: bool, dep_enabled: bool, priority: str, owner_sid: str, window_title: str, startup_info: dict,
      integrity_level: closed('windows-integrity-level-enum', V.WINDOWS_INTEGRITY_LEVEL_ENUM),
    },
  }),
  'windows-service-ext': anyOf({
    name: 'windows-service-ext',
    properties: {
      service_name: str, descriptions: strs, display_name: str, group_name: str,
      start_type: closed('windows-service-start-type-enum', V.WINDOWS_SERVICE_START_TYPE_ENUM), service_dll_refs: refs(['file']),
      service_type: closed('windows-service-type-enum', V.WINDOWS_SERVICE_TYPE_ENUM),
      service_status: closed('windows-service-status-enum', V.WINDOWS_SERVICE_STATUS_ENUM),
    },
  }),
  'unix-account-ext': anyOf({ name: 'unix-account-ext', properties: { gid: int(), groups: strs, home_dir: str, shell: str } }),
};
