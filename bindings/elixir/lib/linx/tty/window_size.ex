defmodule Linx.Tty.WindowSize do
  @moduledoc """
  A terminal's size, the fields of `struct winsize` (`<sys/ioctl.h>`):
  `:rows` and `:cols`, and the pixel sizes `:xpixel` / `:ypixel` that most
  terminals leave at 0.  Each is 0..65535.
  """

  defstruct rows: 0, cols: 0, xpixel: 0, ypixel: 0

  @type t() :: %__MODULE__{
          cols: non_neg_integer(),
          rows: non_neg_integer(),
          xpixel: non_neg_integer(),
          ypixel: non_neg_integer()
        }
end
