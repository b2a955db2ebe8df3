/** The predefined extensions of cyber-observable objects (section 6, `*-ext`). */
import type { Dictionary, Hashes, Identifier, Timestamp } from './common.js';

export interface ArchiveExt {
  readonly contains_refs: ReadonlyArray<Identifier>;
  readonly comment?: string;
}

export interface NtfsExt {
  readonly sid?: string;
  readonly alternate_data_streams?: ReadonlyArray<{ readonly name: string; readonly hashes?: Hashes; readonly size?: number }>;
}

export interface PdfExt {
  readonly version?: string;
  readonly is_optimized?: boolean;
  readonly document_info_dict?: Dictionary;
  readonly pdfid0?: string;
  readonly pdfid1?: string;
}

export interface RasterImageExt {
  readonly image_height?: number;
  readonly image_width?: number;
  readonly bits_per_pixel?: number;
  readonly exif_tags?: Dictionary;
}

export interface WindowsPeSection {
  readonly name: string;
  readonly size?: number;
  readonly entropy?: number;
  readonly hashes?: Hashes;
}

export interface WindowsPeBinaryExt {
  readonly pe_type: string;
  readonly imphash?: string;
  readonly machine_hex?: string;
  readonly number_of_sections?: number;
  readonly time_date_stamp?: Timestamp;
  readonly pointer_to_symbol_table_hex?: string;
  readonly number_of_symbols?: number;
  readonly size_of_optional_header?: number;
  readonly characteristics_hex?: string;
  readonly file_header_hashes?: Hashes;
  readonly optional_header?: Readonly<Record<string, unknown>>;
  readonly sections?: ReadonlyArray<WindowsPeSection>;
}

export interface HttpRequestExt {
  readonly request_method: string;
  readonly request_value: string;
  readonly request_version?: string;
  readonly request_header?: Dictionary;
  readonly message_body_length?: number;
  readonly message_body_data_ref?: Identifier;
}

export interface IcmpExt {
  readonly icmp_type_hex: string;
  readonly icmp_code_hex: string;
}

export interface SocketExt {
  readonly address_family: string;
  readonly is_blocking?: boolean;
  readonly is_listening?: boolean;
  readonly options?: Readonly<Record<string, number>>;
  readonly socket_type?: string;
  readonly socket_descriptor?: number;
  readonly socket_handle?: number;
}

export interface TcpExt {
  readonly src_flags_hex?: string;
  readonly dst_flags_hex?: string;
}

export interface WindowsProcessExt {
  readonly aslr_enabled?: boolean;
  readonly dep_enabled?: boolean;
  readonly priority?: string;
  readonly owner_sid?: string;
  readonly window_title?: string;
  readonly startup_info?: Dictionary;
  readonly integrity_level?: 'low' | 'medium' | 'high' | 'system';
}

export interface WindowsServiceExt {
  readonly service_name?: string;
  readonly descriptions?: ReadonlyArray<string>;
  readonly display_name?: string;
  readonly group_name?: string;
  readonly start_type?: string;
  readonly service_dll_refs?: ReadonlyArray<Identifier>;
  readonly service_type?: string;
  readonly service_status?: string;
}

export interface UnixAccountExt {
  readonly gid?: number;
  readonly groups?: ReadonlyArray<string>;
  readonly home_dir?: string;
  readonly shell?: string;
}
