defmodule Linx.Netfilter.Log.Event do
  @moduledoc """
  One packet logged to an NFLOG group, as `Linx.Netfilter.Log` delivers
  it: `{:linx_netfilter, :log, %Linx.Netfilter.Log.Event{}}`.

  Decoded by the C plugin (`nft.log.next`, docs/nft/log.md) from the
  `NFULA_*` attributes; a field is nil when the kernel did not send it.

    * `:group` - the NFLOG group (from the listener);
    * `:prefix` - the rule's `log prefix`, nil when it set none;
    * `:hook` - the `NF_INET_*` hook number where the packet was logged;
    * `:hw_protocol` - the ethertype (`0x0800` IPv4, `0x86dd` IPv6);
    * `:mark` - the packet mark, when it has one;
    * `:timestamp` - `{seconds, microseconds}`; the kernel adds it on
      prerouting, input and forward only;
    * `:indev`, `:outdev`, `:physindev`, `:physoutdev` - interface
      indexes (in the namespace the packet crossed);
    * `:hwaddr` - the source link-layer address (bytes);
    * `:payload` - the packet from its network header on, with
      `copy_mode: :packet` or `{:packet, snaplen}`;
    * `:uid`, `:gid` - owner of the local socket (packets leaving
      through output);
    * `:seq`, `:seq_global` - with the `:seq` / `:seq_global` flags.
  """

  defstruct [
    :group,
    :prefix,
    :hook,
    :hw_protocol,
    :mark,
    :timestamp,
    :indev,
    :outdev,
    :physindev,
    :physoutdev,
    :hwaddr,
    :payload,
    :uid,
    :gid,
    :seq,
    :seq_global
  ]

  @type t() :: %__MODULE__{
          gid: non_neg_integer() | nil,
          group: 1..65535 | nil,
          hook: 0..255 | nil,
          hw_protocol: 0..65535 | nil,
          hwaddr: binary() | nil,
          indev: non_neg_integer() | nil,
          mark: non_neg_integer() | nil,
          outdev: non_neg_integer() | nil,
          payload: binary() | nil,
          physindev: non_neg_integer() | nil,
          physoutdev: non_neg_integer() | nil,
          prefix: String.t() | nil,
          seq: non_neg_integer() | nil,
          seq_global: non_neg_integer() | nil,
          timestamp: {non_neg_integer(), non_neg_integer()} | nil,
          uid: non_neg_integer() | nil
        }

  @fields ~w(group prefix hook hw_protocol mark indev outdev physindev physoutdev
             hwaddr payload uid gid seq seq_global)a

  @doc false
  # From the plugin's packet event map (docs/nft/log.md, "Events").
  def from_c(%{} = m) do
    fields = for f <- @fields, do: {f, bytes(m[Atom.to_string(f)])}

    ts =
      case m["timestamp"] do
        %{"sec" => s, "usec" => us} -> {s, us}
        _ -> nil
      end

    struct(__MODULE__, [{:timestamp, ts} | fields])
  end

  defp bytes({:bytes, b}), do: b
  defp bytes(v), do: v
end
