defmodule Linx.Netlink.Constants do
  @moduledoc """
  Constants of the core netlink ABI (`include/uapi/linux/netlink.h`), shared
  by every protocol family: message types, `nlmsghdr` flags, attribute flags
  and the protocol numbers of the families Linx talks to.

  Each is a macro expanding to a plain integer, so it works wherever a
  literal does - in guards and binary patterns too.  `import
  Linx.Netlink.Constants` to use the bare names:

      import Linx.Netlink.Constants
      flags = nlm_f_request() ||| nlm_f_dump()

  Family-specific numbers (`RTM_*`, `IFLA_*`, `NFT_MSG_*`...) are not here;
  they belong to the family's own modules.
  """

  @constants [
    {:nlmsg_noop, 0x1, "NLMSG_NOOP - nothing; skip the message."},
    {:nlmsg_error, 0x2, "NLMSG_ERROR - an error, or with errno 0 an acknowledgement."},
    {:nlmsg_done, 0x3, "NLMSG_DONE - the end of a multipart series."},
    {:nlmsg_overrun, 0x4, "NLMSG_OVERRUN - data were lost; the socket is out of step."},
    {:nlmsg_min_type, 0x10, "NLMSG_MIN_TYPE - the lowest type a protocol family may use."},
    {:nlm_f_request, 0x1, "NLM_F_REQUEST - the message is a request."},
    {:nlm_f_multi, 0x2, "NLM_F_MULTI - part of a multipart series ended by NLMSG_DONE."},
    {:nlm_f_ack, 0x4, "NLM_F_ACK - ask for an acknowledgement (an NLMSG_ERROR with errno 0)."},
    {:nlm_f_echo, 0x8, "NLM_F_ECHO - send the request back to its sender."},
    {:nlm_f_dump_intr, 0x10,
     "NLM_F_DUMP_INTR - the table changed during the dump, which may be inconsistent."},
    {:nlm_f_root, 0x100, "NLM_F_ROOT - the whole table, not one entry (GET requests)."},
    {:nlm_f_match, 0x200, "NLM_F_MATCH - every entry matching the request (GET requests)."},
    {:nlm_f_atomic, 0x400, "NLM_F_ATOMIC - an atomic snapshot of the table (GET requests)."},
    {:nlm_f_dump, 0x300, "NLM_F_DUMP - a dump: NLM_F_ROOT ||| NLM_F_MATCH."},
    {:nlm_f_replace, 0x100, "NLM_F_REPLACE - replace an existing object (NEW requests)."},
    {:nlm_f_excl, 0x200, "NLM_F_EXCL - fail if the object exists already (NEW requests)."},
    {:nlm_f_create, 0x400, "NLM_F_CREATE - create the object if it is missing (NEW requests)."},
    {:nlm_f_append, 0x800, "NLM_F_APPEND - add at the end of the object list (NEW requests)."},
    {:nlm_f_capped, 0x100,
     "NLM_F_CAPPED - on an NLMSG_ERROR: the request's payload was left out."},
    {:nlm_f_ack_tlvs, 0x200,
     "NLM_F_ACK_TLVS - on an NLMSG_ERROR: extended-ack attributes follow."},
    {:nla_f_nested, 0x8000, "NLA_F_NESTED - the attribute's payload is itself attributes."},
    {:nla_f_net_byteorder, 0x4000,
     "NLA_F_NET_BYTEORDER - the attribute's payload is in network byte order."},
    {:nla_type_mask, 0x3FFF, "NLA_TYPE_MASK - the type bits of an attribute type."},
    {:netlink_route, 0, "NETLINK_ROUTE - the rtnetlink protocol number."},
    {:netlink_netfilter, 12, "NETLINK_NETFILTER - the nfnetlink protocol number."},
    {:netlink_generic, 16, "NETLINK_GENERIC - the generic netlink protocol number."}
  ]

  for {name, value, doc} <- @constants do
    @doc doc
    defmacro unquote(name)(), do: unquote(value)
  end
end
