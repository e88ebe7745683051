defmodule Linx.Netfilter.Names do
  @moduledoc false
  # The names the C nft plugin uses for expressions, their attributes and
  # their enumerations (docs/nft/expressions.md, schema.md, sets.md and the
  # plugin's tables).  Strings coming back from the plugin become atoms
  # only through this fixed table; anything else stays a binary, so no
  # atom is made from kernel input.  The NIF gets the same table when it
  # loads and builds expressions with it (c_src/term_nft.c).

  @names ~w(
    a accept ackseq add addr addrtype alert ambiguous_table_name anonymous
    arp arp_op audit auto_merge avgpkt b bad_chain bad_expr bad_flowtable
    bad_map bad_map_element bad_object bad_rule bad_set bad_set_element
    bad_table bad_verdict base bitwise bool boolean break bri_broute
    bri_iifname bri_iifpvid bri_iifvproto bri_oifname bridge broute burst
    bypass byteorder bytes cgroup cgroupv2 chains checksum classid close
    close_wait cmp code comment connlimit constant consumed context
    continue count counter cpu crit csum_flags csum_offset csum_type ct
    ct_dir ct_expect ct_expectation ct_helper ct_state ct_status
    ct_timeout daddr daddr_ip4 daddr_ip6 data data_type data_typeof day
    dccp dccp_pkttype debug delete delobj depleted devgroup device devices
    dir direction dnat dnat_to dormant dport dreg drop dscp dstnat dup
    dynset ecn egress elements emerg encode eq err established eth eth0
    ether ether_addr ether_daddr ether_saddr ether_type eventmask
    expiration expires expr expression exprs exthdr family fanout fib
    field filter fin_wait flags flow_offload flowtable flowtables forward
    from fully_random fwd
    gc_interval gid goto group gt gte handle hash helper hook hour hton
    hw_offload ibrname ibrpvid ibrvproto icmp icmp_code icmp_type
    icmp_unreach icmpv6 icmpv6_code icmpv6_type icmpx_code icmpx_unreach
    id iface_index iface_type ifname iif iifgroup iifkind iifname iiftype igmp
    igmp_type
    immediate in inc inet inet_proto inet_service info ingress inner input
    interval inv ip ip6 ip6_daddr ip6_hoplimit ip6_nexthdr ip6_saddr
    ip_daddr ip_length ip_opt ip_protocol ip_saddr ip_tos ip_ttl ipsec
    ipv4 ipv4_addr ipv6 ipv6_addr jhash jump key key_type key_typeof kind
    l3proto l3protocol l4proto label labels last last_ack len length level
    limit link list lo local log lookup lshift lt lte macdecode mangle
    map_ips mark mask masq message meta mh_type minute modulus msecs mss
    name nat neq netdev netmap network newobj newrule nexthdr nf_proto
    nflog nfproto nft nftrace nla_get_u32 no_such_chain no_such_table none
    notice notrack ntoh num numgen object objects objref obrname offset
    oif oifgroup oifkind oifname oiftype op original osf out output over
    owner packets param payload persist persistent pkt_type pkttype policy
    port port_max port_min position postrouting prandom prefix prerouting
    present priority proto_dst proto_offset proto_specified proto_src
    protocol pseudohdr push qthreshold queue quota random range rate raw
    realm redir reg_addr reg_addr_max reg_addr_min reg_port reg_proto_max
    reg_proto_min reject replied reply reqid result retrans return route
    rshift rtclassid rules sack_perm saddr saddr_ip4 saddr_ip6 sctp sdif
    sdifname secmark second secpath security seed sequence set set_id
    set_literal sets size skgid skuid snaplen snat snat_to socket spi
    spnum sport srcnat sreg sreg_addr sreg_data sreg_dev sreg_key
    sreg_qnum state status stop symhash syn_recv syn_sent syn_sent2
    synproxy tag tag_required tcp tcp_dport tcp_flag tcp_flags tcp_opt
    tcp_reset tcp_seq tcp_sport tcpopt th th_dport th_sport time time_date
    time_day time_hour time_ns time_wait timeout timestamp to total tproxy
    transparent transport ttl tunnel type typeof udp udp_dport udp_sport
    udplite uid unacknowledged unit unreplied unspec update urgptr
    use used value verdict version warn week wildcard window wscale xfrm
    xor zone
  )a

  # Attributes whose string values are enumerations, made atoms as well.
  @enum_keys ~w(op base key type family direction unit level csum_type key_type
                data_type field l3proto protocol)a

  for k <- @enum_keys, k not in @names, do: raise("#{k} is missing from the names")

  @table Map.new(@names, &{Atom.to_string(&1), &1})

  @doc false
  def all, do: @names

  @doc false
  def enum_keys, do: @enum_keys

  @doc false
  def atom(s) when is_binary(s), do: Map.get(@table, s, s)
  def atom(v), do: v
end
