from .agent import ModelSettings
from .user import UserBase
